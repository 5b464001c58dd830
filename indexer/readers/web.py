"""Readers for reporting as it arrives from the web: saved HTML pages, WARC crawls, RSS/Atom feeds.

Each yields the same items as the JSON readers: RawRecord, Problem, and Skipped for WARC
records that are not pages (requests, robots.txt, images, redirects, feeds), so a build can
count them. A page that is not an article, or a WARC cut off mid-record, becomes a Problem that
names the file, the record and the reason; everything complete before it is still read.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import IO, Any, Iterator

from . import FEEDS, HTML, WARC, Origin, Problem, RawRecord, Skipped, excerpt_of
from .encoding import charset_of, decode_page
from .webpage import NotArticle, extract_page

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_ROOTS = {"rss": "RSS", "feed": "Atom", "rdf:rdf": "RSS 1.0", "rdf": "RSS 1.0"}
ROOT_TAG = re.compile(rb"<\s*([A-Za-z][\w:.-]*)")
PROLOGUE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*", re.S)
SNIFF_BYTES = 2048


def read_web_file(path: Path, suffix: str) -> Iterator[Any]:
    origin = Origin(str(path))
    try:
        if suffix in WARC:
            with open(path, "rb") as handle:
                yield from read_warc(handle, origin)
            return
        data = path.read_bytes()
    except OSError as error:
        yield Problem(origin, None, f"cannot read file: {error.strerror or error}")
        return
    yield from read_web_blob(data, suffix, origin)


def read_web_blob(data: bytes, suffix: str, origin: Origin) -> Iterator[Any]:
    """An HTML page or a feed held in memory (a file, or a ZIP member)."""
    if suffix in HTML:
        yield page_record(data, None, None, origin)
    elif suffix in FEEDS:
        yield from read_feed(data, origin)


def page_record(data: bytes, url: str | None, http_charset: str | None, origin: Origin,
                fetched: str | None = None) -> RawRecord | Problem:
    text, _ = decode_page(data, http_charset)
    try:
        found = extract_page(text, url=url, fetched=fetched)
    except Exception as error:  # noqa: BLE001 - a page no parser copes with costs that page only
        return Problem(origin, None, f"cannot extract the page: {type(error).__name__}: {error}",
                       excerpt_of(url or text))
    if isinstance(found, NotArticle):
        return Problem(origin, found.field, found.reason, excerpt_of(url or text))
    return RawRecord(found, origin)


# --- WARC ----------------------------------------------------------------------------------

def read_warc(handle: IO[bytes], origin: Origin) -> Iterator[Any]:
    """Every HTML `response` record with status 200 becomes a page; other records are Skipped.

    A record cut off by a truncated file (fewer bytes than its Content-Length, or headers that
    end early) is a Problem and ends the file: nothing after it can be framed."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = -1
    try:
        for number, record in enumerate(ArchiveIterator(handle, check_digests=False)):
            where = Origin(origin.file, origin.member, position=number)
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            payload = record.content_stream().read()
            if record.length is None or getattr(record.raw_stream, "limit", 0) > 0:
                yield Problem(where, None, f"truncated WARC record{' for ' + url if url else ''}: "
                              "the file ends inside it", excerpt_of(url))
                return
            if record.rec_type != "response":
                yield Skipped(where, f"{record.rec_type} record")
                continue
            http = record.http_headers
            status = http.get_statuscode() if http is not None else None
            content_type = (http.get_header("Content-Type") if http is not None else None) or ""
            mime = content_type.split(";")[0].strip().lower()
            if status != "200":
                yield Skipped(where, f"HTTP {status} response")
            elif mime not in HTML_TYPES:
                yield Skipped(where, f"not an HTML page ({mime or 'no content type'})")
            else:
                fetched = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
                yield page_record(payload, url, charset_of(content_type), where, fetched)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error, AttributeError, IndexError) as error:
        # warcio raises AttributeError/IndexError on headers cut mid-line (found by the property test)
        where = Origin(origin.file, origin.member, position=number + 1)
        yield Problem(where, None, f"unreadable WARC record ({error}); the rest of the file is skipped")


# --- feeds ---------------------------------------------------------------------------------

def feed_kind(data: bytes) -> str | None:
    """"RSS", "Atom" or "RSS 1.0" from the document's root element; None if it is not a feed."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    prologue = PROLOGUE.match(head)
    match = ROOT_TAG.match(head, prologue.end() if prologue else 0)
    if not match:
        return None
    return FEED_ROOTS.get(match.group(1).decode("ascii", "replace").lower())


def read_feed(data: bytes, origin: Origin) -> Iterator[Any]:
    """Each entry of an RSS 2.0 / Atom feed: its full text when the feed carries it
    (content:encoded, Atom content), else its title and summary marked `partial`."""
    import feedparser

    kind = feed_kind(data)
    if kind is None:
        root = ROOT_TAG.search(data[:SNIFF_BYTES])
        named = f"<{root.group(1).decode('ascii', 'replace')}>" if root else "no XML element"
        yield Problem(origin, None, f"not an RSS or Atom feed (root element: {named})", excerpt_of(data))
        return
    parsed = feedparser.parse(data)
    if not parsed.entries and parsed.get("bozo"):
        yield Problem(origin, None, f"unreadable {kind} feed: {parsed.get('bozo_exception')}", excerpt_of(data))
        return
    site = (parsed.feed.get("title") or "").split(" - ")[0]
    for number, entry in enumerate(parsed.entries):
        yield feed_entry(entry, site, Origin(origin.file, origin.member, position=number))


def feed_entry(entry: Any, site: str, where: Origin) -> RawRecord:
    from .outlets import source_for

    url = entry.get("link") or ""
    full = [c.get("value") or "" for c in entry.get("content") or () if c.get("value")]
    record: dict[str, Any] = {"url": url, "title": " ".join((entry.get("title") or "").split()),
                              "author": entry.get("author") or "", "source": source_for(url, site)}
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:
        record["published"] = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
    if full:
        record["content"] = html_text(max(full, key=len))
    else:
        summary = html_text(entry.get("summary") or "")
        record["content"] = "\n\n".join(filter(None, (record["title"], summary)))
        record["partial"] = True
    return RawRecord(record, where)


def html_text(fragment: str) -> str:
    """Text of an HTML fragment, one paragraph per block element, blank lines between."""
    from lxml import html as lxml_html

    if "<" not in fragment:
        return " ".join(fragment.split())
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return " ".join(fragment.split())
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = []
    for node in root.iter("p", "li", "h2", "h3", "h4", "blockquote"):
        node.tail = "\n" + (node.tail or "")
        node.text = "\n" + (node.text or "")
    for line in root.text_content().split("\n"):
        if line.strip():
            blocks.append(" ".join(line.split()))
    return "\n\n".join(blocks)
