"""Atom feeds of a saved search (newest first), so a newsroom can be alerted to new reports.

Written with the standard library's ElementTree: Atom is small, and feedgen 1.0 drops the
rel and type of entry links, which leaves two "alternate" links per entry (invalid Atom).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from typing import Any, Callable

from .formatting import event_chips

ATOM_NS = "http://www.w3.org/2005/Atom"
_TAGS = re.compile(r"</?mark>")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def xml_text(value: str) -> str:
    """VALUE without the characters XML 1.0 cannot carry (control characters, lone surrogates):
    a query or an article holding them must still give a feed, not a 500."""
    return _NOT_XML.sub("", value)


def _when(day: str | None) -> datetime:
    try:
        return datetime.fromisoformat((day or "")[:10]).replace(tzinfo=timezone.utc)
    except ValueError:
        return EPOCH


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(result: dict[str, Any], *, self_url: str, site_url: str,
              article_url: Callable[[str], str]) -> bytes:
    """RESULT (a search sorted newest first) as an Atom 1.0 document."""
    hits = result["hits"]
    query = xml_text(result["query"].get("q") or "").strip()
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "ar"})
    _add(feed, "id", self_url)
    _add(feed, "title", f"مرصد: {query}" if query else "مرصد: أحدث التقارير")
    _add(feed, "subtitle", f"عدد التقارير المطابقة: {result['total']}")
    _add(feed, "updated", _rfc3339(max((_when(h.get("published")) for h in hits), default=EPOCH)))
    _add(_add(feed, "author"), "name", "Marsad")
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=site_url)
    _add(feed, "generator", "Marsad")
    for hit in hits:
        entry = _add(feed, "entry")
        link = article_url(hit["id"])
        _add(entry, "id", link)
        _add(entry, "title", hit["title"] or hit["id"])
        day = _rfc3339(_when(hit.get("published")))
        _add(entry, "updated", day)
        _add(entry, "published", day)
        _add(entry, "link", rel="alternate", type="text/html", href=link)
        if hit.get("url"):
            _add(entry, "link", rel="related", href=hit["url"])
        _add(entry, "summary", html.unescape(_TAGS.sub("", hit["snippet"])), type="text")
        for place in hit["places"]:
            _add(entry, "category", term=place["id"], label=place["name_ar"], scheme="marsad:place")
        for actor in hit["actors"]:
            _add(entry, "category", term=actor["id"], label=actor["name_ar"], scheme="marsad:actor")
        if hit.get("source"):
            _add(entry, "category", term=hit["source"], scheme="marsad:source")
        for chip in event_chips(hit.get("events")):
            _add(entry, "category", term=chip["subtype"], label=chip["text"], scheme="marsad:event")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
