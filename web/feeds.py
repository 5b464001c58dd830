"""Atom feeds of a saved search (newest first), so a newsroom can be alerted to new reports."""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from typing import Any, Callable

from feedgen.feed import FeedGenerator

_TAGS = re.compile(r"</?mark>")


def _when(day: str | None) -> datetime:
    if not day:
        return datetime(1970, 1, 1, tzinfo=timezone.utc)
    return datetime.fromisoformat(day[:10]).replace(tzinfo=timezone.utc)


def atom_feed(result: dict[str, Any], *, self_url: str, site_url: str,
              article_url: Callable[[str], str]) -> bytes:
    feed = FeedGenerator()
    query = result["query"].get("q") or ""
    feed.id(self_url)
    feed.title(f"مرصد: {query}" if query else "مرصد: أحدث التقارير")
    feed.subtitle(f"{result['total']} تقريراً تطابق البحث")
    feed.language("ar")
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=site_url, rel="alternate", type="text/html")
    feed.author({"name": "Marsad"})
    hits = result["hits"]
    feed.updated(max((_when(h.get("published")) for h in hits), default=_when(None)))
    for hit in reversed(hits):
        entry = feed.add_entry()
        link = article_url(hit["id"])
        entry.id(link)
        entry.title(hit["title"] or hit["id"])
        entry.link(href=link, rel="alternate", type="text/html")
        if hit.get("url"):
            entry.link(href=hit["url"], rel="related")
        entry.updated(_when(hit.get("published")))
        entry.published(_when(hit.get("published")))
        entry.summary(html.unescape(_TAGS.sub("", hit["snippet"])))
        for place in hit["places"]:
            entry.category(term=place["id"], label=place["name_ar"], scheme="marsad:place")
        for actor in hit["actors"]:
            entry.category(term=actor["id"], label=actor["name_ar"], scheme="marsad:actor")
        if hit.get("source"):
            entry.category(term=hit["source"], scheme="marsad:source")
    return feed.atom_str(pretty=True)
