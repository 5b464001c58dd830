"""One news web page (HTML text) → an article record, or the reason it is not one.

The main text comes from trafilatura (maintained, measured best on our Arabic templates; see
tests/bench/extraction_html.py), with comments excluded. Metadata is taken where sites put it,
most trustworthy first:
- title: JSON-LD `headline`, `og:title`, a single `<h1>`, then `<title>` minus the site's name;
- published: structured markup only (JSON-LD, then meta tags and `<time>` via htmldate without
  its text heuristics, which guess years from menus), then the last date written in the page's
  text just above the body (month names, Hijri, numeric: indexer/entities/dates.py);
- author: meta/JSON-LD, a byline element (class author/byline, `<address>`), then trafilatura's,
  without "بقلم:"/"كتب:" prefixes;
- source: the URL's domain through the sources data file (indexer/readers/outlets.py).
A page that is a 404 body, a video page, a section front or has too little text is rejected
with a reason, so the build quarantines it instead of indexing a menu as a report.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .outlets import source_for

MIN_WORDS = 40
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
NOT_FOUND = re.compile(r"(?:\b404\b|غير موجود|لم يتم العثور|page not found|not found|الصفحة المطلوبة)", re.I)
ELLIPSIS = ("…", "...")
BYLINE_PREFIX = re.compile(r"^\s*(?:بقلم|كتب|كتبت|إعداد|اعداد|تقرير|By)\s*[:：]?\s*", re.I)
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»]+\s+")
HEADER_CHARS = 600
HEADING_WORDS = 14
SENTENCE_ENDS = (".", "؟", "!", "?")
LIST_ITEM = "- "
MIN_PROSE = 2
# htmldate on markup only: its text search guesses years from menus and footers, and runs
# dateparser over every locale (80% of a page's time); visible dates are read by written_dates.
DATE_SEARCH = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}
LINK_LINES = 3
BYLINE_CLASSES = re.compile(r"author|byline|writer|\bby\b", re.I)
VIDEO_TYPES = ("video", "videoobject")


@dataclass(frozen=True, slots=True)
class NotArticle:
    """Why a page is not indexed as a report (goes to the quarantine)."""

    field: str | None
    reason: str


def extract_page(text: str, url: str | None = None, fetched: str | None = None,
                 favor: str | None = None) -> dict[str, Any] | NotArticle:
    """The article record of page TEXT found at URL (fetched on FETCHED, an ISO date, if known).

    FAVOR ("precision"/"recall") is trafilatura's trade-off switch, for the benchmark."""
    import trafilatura
    from lxml import html as lxml_html

    text = XML_DECLARATION.sub("", text, count=1)  # XHTML: lxml refuses a str that declares bytes
    try:
        tree = lxml_html.fromstring(text)
    except (ValueError, lxml_html.etree.ParserError) as error:
        return NotArticle(None, f"not readable HTML: {error}")
    facts = page_facts(tree)
    document = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=favor == "precision", favor_recall=favor == "recall", date_extraction_params=DATE_SEARCH)
    lines = body_lines(getattr(document, "text", None) or "")
    if sum(1 for line in lines if line in facts["anchors"]) >= LINK_LINES:
        lines = main_span(lines, text, facts["anchors"])
    author = clean_author(facts["author"] or facts["byline"] or getattr(document, "author", None) or "")
    title = facts["title"] or getattr(document, "title", None) or ""
    body = "\n\n".join(strip_trailing_list(strip_heading_lines(lines, title, author)))
    words = len(body.split())
    if facts["not_found"] and words < MIN_WORDS * 3:
        return NotArticle("content", "not an article: a 'page not found' body")
    if facts["video"] and words < MIN_WORDS * 3:
        return NotArticle("content", f"not an article: a video page ({words} words of text)")
    if is_section_front(body):
        return NotArticle("content", "not an article: a section front (a list of teasers)")
    if words < MIN_WORDS:
        return NotArticle("content", f"not an article: too little text ({words} words, at least {MIN_WORDS})")
    page_url = url or facts["url"] or getattr(document, "url", None) or ""
    site = facts["site"] or getattr(document, "sitename", None) or ""
    record: dict[str, Any] = {
        "url": page_url,
        "title": title,
        "content": body,
        "author": author,
        "source": source_for(page_url, site),
    }
    published = facts["published"] or iso_day(getattr(document, "date", None)) or visible_date(tree, body)
    if published:
        record["published"] = published
    elif fetched:
        record["published"] = fetched
    if fetched:
        record["fetched"] = fetched
    return record


def body_lines(text: str) -> list[str]:
    """Paragraphs, whitespace-normalized (they are joined by blank lines, as corpus articles are)."""
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def main_span(lines: list[str], text: str, anchors: set[str]) -> list[str]:
    """The fallback when trafilatura kept a whole table layout (menus and "most read" lines in
    its output): jusText, whose link-density and stop-word classification with context finds
    the main block there, marks where the article starts and ends, and trafilatura's lines in
    between are kept, less link lines. Taking the span rather than jusText's own paragraphs
    keeps a body paragraph that its stop-word test rejects (Arabic glues و/في to the next word,
    which lowers stop-word density)."""
    import justext

    good = [" ".join(p.text.split()) for p in justext.justext(text.encode("utf-8"), arabic_stoplist(),
                                                              encoding="utf-8")
            if not p.is_boilerplate and p.text.strip()]
    if not good:
        return [line for line in lines if line not in anchors]
    first = next((i for i, line in enumerate(lines) if same_paragraph(line, good[0])), None)
    last = next((i for i in range(len(lines) - 1, -1, -1) if same_paragraph(lines[i], good[-1])), None)
    if first is None or last is None or last < first:
        return good
    return [line for line in lines[first:last + 1] if line not in anchors]


def same_paragraph(line: str, paragraph: str) -> bool:
    """LINE (trafilatura's) is PARAGRAPH (jusText's) or holds it or is a long part of it; a
    short line ("فيديو") found inside a paragraph is not a match."""
    return paragraph in line or (len(line.split()) >= HEADING_WORDS // 2 and line in paragraph)


@lru_cache(maxsize=1)
def arabic_stoplist() -> frozenset[str]:
    import justext

    return frozenset(justext.get_stoplist("Arabic"))


def strip_trailing_list(lines: list[str]) -> list[str]:
    """The body without a list that follows its last paragraph: after a report's prose, a list
    is readers' comments, tags or related links that the site did not mark as such
    (trafilatura writes list items as "- …")."""
    end = len(lines)
    while end > 0 and lines[end - 1].startswith(LIST_ITEM):
        end -= 1
    return lines[:end] if end >= MIN_PROSE else lines


def strip_heading_lines(lines: list[str], title: str, author: str) -> list[str]:
    """The body without the title, byline and date lines that extractors keep above it. Such a
    line is short and not a sentence (a lead that names a date ends with a full stop)."""
    start = 0
    while start < len(lines):
        line = lines[start]
        short = len(line.split()) <= HEADING_WORDS and not line.endswith(SENTENCE_ENDS)
        if line == title or (short and (BYLINE_PREFIX.match(line) or (author and author in line)
                                        or written_dates(line))):
            start += 1
            continue
        break
    return lines[start:]


def clean_author(author: str) -> str:
    author = BYLINE_PREFIX.sub("", author.strip())
    return author.split(";")[0].strip()


def is_section_front(body: str) -> bool:
    """Teasers: most paragraphs are cut off with an ellipsis."""
    paragraphs = [p for p in body.split("\n\n") if len(p.split()) >= 3]
    cut = sum(1 for p in paragraphs if p.rstrip().endswith(ELLIPSIS))
    return len(paragraphs) >= 3 and cut * 2 >= len(paragraphs)


def page_facts(tree: Any) -> dict[str, Any]:
    """Title, date, author, URL, site and page kind from the page's markup."""
    meta = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        if key and node.get("content") and key not in meta:
            meta[key] = node.get("content").strip()
    ld = json_ld_article(tree)
    h1 = [" ".join(n.text_content().split()) for n in tree.iter("h1")]
    h2 = [" ".join(n.text_content().split()) for n in tree.iter("h2")]
    title_tag = " ".join((tree.findtext(".//title") or "").split())
    site = meta.get("og:site_name") or ld_name(ld.get("publisher")) or ""
    title = (text_of(ld.get("headline")) or meta.get("og:title") or (h1[0] if len(h1) == 1 else "")
             or title_without_site(title_tag, site, h1 + h2))
    kind = (meta.get("og:type") or "").lower()
    ld_type = str(ld.get("@type") or "").lower()
    heading = " ".join([title_tag] + h1[:1])
    anchors = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    return {
        "title": " ".join(title.split()),
        "site": site,
        "url": meta.get("og:url") or canonical(tree) or text_of(ld.get("mainEntityOfPage")) or "",
        "author": meta.get("author") or ld_name(ld.get("author")) or "",
        "byline": byline(tree),
        "anchors": anchors - {""},
        "published": structured_date(ld),
        "not_found": bool(NOT_FOUND.search(heading)),
        "video": kind.startswith("video") or ld_type in VIDEO_TYPES,
    }


def byline(tree: Any) -> str:
    """The text of the first element whose class names an author or byline."""
    for node in tree.iter():
        if isinstance(node.tag, str) and (node.tag == "address" or (node.get("rel") or "") == "author"
                                          or BYLINE_CLASSES.search(node.get("class") or "")):
            text = " ".join(node.text_content().split())
            if 0 < len(text.split()) <= HEADING_WORDS:
                return text
    return ""


def text_of(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url") or value.get("name")
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""


def ld_name(value: Any) -> str:
    if isinstance(value, list):
        return " و".join(filter(None, (ld_name(v) for v in value)))
    if isinstance(value, dict):
        return text_of(value.get("name"))
    return text_of(value)


def json_ld_article(tree: Any) -> dict[str, Any]:
    """The first schema.org Article-like (or Video) object of the page's JSON-LD, or {}."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = [str(k).lower() for k in (kind if isinstance(kind, list) else [kind])]
                if any(k.endswith("article") or k in ("reportagenewsarticle", "videoobject") for k in kinds):
                    return item
                stack.extend(v for k, v in item.items() if k == "@graph")
    return {}


def canonical(tree: Any) -> str:
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href").strip()
    return ""


def title_without_site(title: str, site: str, headings: list[str]) -> str:
    """`<title>`'s headline part: a heading of the page that it contains, else the title less
    its last piece (where sites put their name), keeping separators inside the headline
    ("تحليل | …", "عاجل: …")."""
    inside = [h for h in headings if h and h in title]
    if inside:
        return max(inside, key=len)
    pieces = TITLE_SEPARATORS.split(title)
    if site and site in pieces:
        start = title.find(site)
        return (title[:start] if start > 0 else title[len(site):]).strip(" |-–—:»")
    spans = list(TITLE_SEPARATORS.finditer(title))
    if spans and len(title[spans[-1].end():].split()) <= 4:
        return title[:spans[-1].start()].strip()
    return title


def iso_day(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def structured_date(ld: dict[str, Any]) -> str | None:
    """JSON-LD's datePublished; trafilatura reads the other markup (meta tags, <time>) with
    htmldate, held to DATE_SEARCH."""
    return iso_day(text_of(ld.get("datePublished")))


def written_dates(text: str) -> list[str]:
    """Days written in TEXT, in order: month names (Arabic, Levantine, Maghrebi), Hijri dates
    and numeric dates in either digit set, as indexer/entities/dates.py reads them."""
    from indexer.entities.dates import find_dates

    return [d["date"] for d in find_dates(text, None) if d["kind"] == "absolute"]


def visible_date(tree: Any, body: str) -> str | None:
    """The last date written in the page's text just before the article body (where sites print
    "الثلاثاء 27 يناير 2015", "7 ربيع الآخر 1436 هـ" or "2015/01/27"), else just after it."""
    for node in tree.xpath("//script|//style|//noscript"):
        node.drop_tree()
    page = "\n".join(" ".join(t.split()) for t in tree.itertext() if t.strip())
    first = body.split("\n\n", 1)[0][:40]
    start = page.find(first) if first else -1
    if start < 0:
        return None
    before = written_dates(page[max(0, start - HEADER_CHARS):start])
    if before:
        return before[-1]
    last = body.rsplit("\n\n", 1)[-1][-40:]
    end = page.find(last, start)
    if end >= 0:
        after = written_dates(page[end + len(last):end + len(last) + HEADER_CHARS // 2])
        if after:
            return after[0]
    return None
