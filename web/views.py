"""View models: what the templates show, computed from the search JSON and the URL state.

Kept apart from the templates so the logic (facet trees, chips, paging, links) is plain Python
that tests can call, and the templates only lay it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from markupsafe import Markup, escape

from .engine_access import get_engine
from .formatting import (ACTOR_TYPES, FIELD_HELP, OUTLET_FORMS, PLACE_KINDS, REPORT_FORMS, SORTS, STORY_FORMS, Pairs,
                         casualty_label, count_noun, count_reports, event_chips, date_range_label, safe_marked, state_url,
                         with_changes)
from .svg import MEASURES, histogram, place_map

FACET_VISIBLE = 8
CHILDREN_VISIBLE = 5
GROUP_VISIBLE = 5
PAGE_WINDOW = 2
FILTER_KEYS = ("place", "actor", "source", "event")
FILTER_NAMES = {"place": "المكان", "actor": "الجهة", "source": "المصدر", "event": "الحدث"}
CHART = "chart"  # page-only state: which measure the date histogram shows


@dataclass
class FacetNode:
    item: dict
    url: str
    children: list["FacetNode"] = field(default_factory=list)


@dataclass
class Chip:
    label: str
    kind: str
    remove_url: str


_SOURCE_NAMES: dict[str, dict[str, str]] = {}


def source_names() -> dict[str, str]:
    """Arabic names of the live generation's sources (hits and articles carry only the id)."""
    with get_engine().lease() as gen:
        names = _SOURCE_NAMES.get(str(gen.folder))
        if names is None:
            names = {ident: entry.get("name_ar") or entry.get("name_en") or ident
                     for ident, entry in gen.entities.sources.items()}
            _SOURCE_NAMES.clear()
            _SOURCE_NAMES[str(gen.folder)] = names
        return names


def place_tree(items: list[dict], link) -> list[FacetNode]:
    """Nest place facet values under the nearest ancestor that is also a facet value."""
    nodes = {item["value"]: FacetNode(item, link(item)) for item in items}
    roots = []
    for item in items:
        parent = next((p for p in item.get("parents") or ([item["parent"]] if item.get("parent") else [])
                       if p in nodes), None)
        (nodes[parent].children if parent else roots).append(nodes[item["value"]])
    return roots


class SearchView:
    def __init__(self, result: dict | None, pairs: Pairs, errors: dict[str, list[str]] | None = None) -> None:
        self.result = result
        self.pairs = pairs
        self.errors = errors or {}
        self.q = next((v for k, v in pairs if k == "q"), "")
        self.sort = next((v for k, v in pairs if k == "sort"), "relevance")
        self.date_field = next((v for k, v in pairs if k == "date_field"), "published")
        self.date_from = next((v for k, v in pairs if k == "from"), "")
        self.date_to = next((v for k, v in pairs if k == "to"), "")
        self.min_killed = next((v for k, v in pairs if k == "min_killed"), "")
        chart = next((v for k, v in pairs if k == CHART), "count")
        self.chart = chart if chart in MEASURES else "count"
        self.story = next((v for k, v in pairs if k == "story"), "").strip()
        self.empty: dict[str, Any] = {}

    def url(self, **changes: Any) -> str:
        return state_url(url_for("pages.index"), with_changes(self.pairs, **changes))

    @property
    def error_items(self) -> list[tuple[str, str, str, list[str]]]:
        """(field, its Arabic name, what it wants, the API's reasons) for each bad parameter."""
        return [(name, *FIELD_HELP.get(name, (name, "")), reasons) for name, reasons in self.errors.items()]

    def toggle_url(self, kind: str, value: str) -> str:
        return self.url(toggle=(kind, value))

    def hidden_filters(self, *exclude: str) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.pairs if k not in ("q", "page", *exclude)]

    @property
    def query_string(self) -> str:
        """The state without the page, and with collapse=story when the page collapses by default,
        so that exports give what the page shows."""
        pairs = [(k, v) for k, v in self.pairs if k != "page" and not (k == "collapse" and not v.strip())]
        if self.collapsed and not any(k == "collapse" for k, _ in pairs):
            pairs.append(("collapse", "story"))
        return urlencode(pairs)

    def export_url(self, endpoint: str) -> str:
        base = url_for(endpoint)
        return f"{base}?{self.query_string}" if self.query_string else base

    def facet(self, kind: str) -> list[dict]:
        return (self.result or {}).get("facets", {}).get(kind, [])

    def labels(self, kind: str) -> dict[str, str]:
        return {item["value"]: item["label_ar"] or item["label_en"] or item["value"] for item in self.facet(kind)}

    @property
    def places(self) -> list[FacetNode]:
        return place_tree(self.facet("place"), lambda item: self.toggle_url("place", item["value"]))

    @property
    def actor_groups(self) -> list[tuple[str, list[tuple[dict, str]]]]:
        groups: dict[str, list[tuple[dict, str]]] = {}
        for item in self.facet("actor"):
            groups.setdefault(item.get("type") or "other", []).append((item, self.toggle_url("actor", item["value"])))
        order = list(ACTOR_TYPES)
        return [(ACTOR_TYPES.get(t, t), groups[t]) for t in sorted(groups, key=lambda t: order.index(t) if t in order else 99)]

    @property
    def events(self) -> list[FacetNode]:
        """Event types with their sub-event types nested under them (through `parent`)."""
        return place_tree(self.facet("event"), lambda item: self.toggle_url("event", item["value"]))

    def event_chips(self, hit: dict) -> list[dict]:
        """The hit's event chips (web.formatting.event_chips), each linking to its filter."""
        return [{**chip, "url": self.toggle_url("event", chip["subtype"])} for chip in event_chips(hit.get("events"))]

    def casualties(self, item: dict) -> str:
        return casualty_label(item.get("killed"), item.get("injured"))

    @property
    def sort_options(self) -> list[tuple[str, str]]:
        return list(SORTS.items())

    @property
    def chart_links(self) -> list[tuple[str, str, bool]]:
        """(label, URL, current) for each measure the histogram can show."""
        return [(label, self.url(set_={CHART: key} if key != "count" else None, drop=(CHART,), keep_page=True),
                 key == self.chart) for key, label in MEASURES.items()]

    @property
    def sources(self) -> list[tuple[dict, str]]:
        return [(item, self.toggle_url("source", item["value"])) for item in self.facet("source")]

    @property
    def chips(self) -> list[Chip]:
        chips = []
        for kind in FILTER_KEYS:
            labels = self.labels(kind)
            for key, value in self.pairs:
                if key == kind:
                    chips.append(Chip(f"{FILTER_NAMES[kind]}: {labels.get(value, value)}", kind,
                                      self.toggle_url(kind, value)))
        if self.date_from or self.date_to:
            field_name = "تاريخ الحدث" if self.date_field == "event" else "تاريخ النشر"
            label = f"{field_name}: {date_range_label(self.date_from, self.date_to)}"
            chips.append(Chip(label, "date", self.url(drop=("from", "to", "date_field"))))
        if self.min_killed:
            chips.append(Chip(f"قتلى على الأقل: {self.min_killed}", "killed", self.url(drop=("min_killed",))))
        if self.story:
            chips.append(Chip(f"القصة: {self.story_title}", "story", self.url(drop=("story", "collapse"))))
        return chips

    @property
    def story_title(self) -> str:
        """The title of the listed story's earliest report on this page (the id if none is shown)."""
        hits = [h for h in (self.result or {}).get("hits", []) if h.get("story", {}).get("id") == self.story]
        if not hits:
            return self.story
        return min(hits, key=lambda h: (h.get("published") or "9999", h["id"]))["title"] or self.story

    @property
    def filter_count(self) -> int:
        return (sum(1 for k, _ in self.pairs if k in FILTER_KEYS) + bool(self.date_from or self.date_to)
                + bool(self.min_killed) + bool(self.story))

    @property
    def clear_url(self) -> str:
        return self.url(drop=("place", "actor", "source", "event", "min_killed", "from", "to", "date_field", "story"))

    @property
    def collapsed(self) -> bool:
        return bool(self.result) and "total_stories" in self.result

    @property
    def total_label(self) -> str:
        if not self.result:
            return ""
        label = count_reports(self.result["total"])
        if self.collapsed and self.result["total"]:
            label += f" في {count_noun(self.result['total_stories'], STORY_FORMS)}"
        return label

    @property
    def listed(self) -> int:
        """What the pages count: stories when collapsed, else reports."""
        if not self.result:
            return 0
        return self.result["total_stories"] if self.collapsed else self.result["total"]

    @property
    def collapse_toggle(self) -> tuple[str, str]:
        """(link, label) that switches between one hit per story and every report."""
        if self.collapsed:
            return self.url(set_={"collapse": "none"}), "عرض كل التقارير منفصلة"
        return self.url(set_={"collapse": "story"}), "تجميع التقارير المتشابهة في قصة واحدة"

    def story_url(self, hit: dict) -> str:
        return state_url(url_for("pages.index"), [("story", hit["story"]["id"])])

    def other_outlets(self, hit: dict) -> list[str]:
        """Names of the other sources that carried the hit's story."""
        story = hit.get("story") or {}
        return [self.source_label(s) for s in story.get("sources", []) if s != hit.get("source")]

    def also_label(self, hit: dict) -> str:
        """«ونشرته أيضاً مصادر أخرى» under a hit whose story has more reports (or «تقارير أخرى من
        المصدر نفسه» when only its own outlet repeated it)."""
        others = len(self.other_outlets(hit))
        if others:
            return "ونشرته أيضاً " + _others(others, OUTLET_FORMS, "مصدر آخر", "مصدران آخران")
        more = (hit.get("story") or {}).get("size", 1) - 1
        return "وفي القصة " + _others(more, REPORT_FORMS, "تقرير آخر", "تقريران آخران") + " من المصدر نفسه"

    @property
    def histogram(self) -> Markup:
        return histogram(self.facet("date"), lambda start, end: self.url(set_={"from": start, "to": end}),
                         measure=self.chart)

    @property
    def pages(self) -> list[tuple[int, str, bool]]:
        if not self.result:
            return []
        page, per_page, total = self.result["page"], self.result["per_page"], self.listed
        last = min(max(1, -(-total // per_page)), 10_000 // per_page)
        numbers = sorted({1, last, *range(max(1, page - PAGE_WINDOW), min(last, page + PAGE_WINDOW) + 1)})
        return [(n, self.url(set_={"page": str(n)}), n == page) for n in numbers]

    def page_url(self, number: int) -> str:
        return self.url(set_={"page": str(number)})

    @property
    def last_page(self) -> int:
        if not self.result:
            return 1
        return min(max(1, -(-self.listed // self.result["per_page"])), 10_000 // self.result["per_page"])

    def hit_title(self, hit: dict) -> Markup:
        return safe_marked(hit["title_html"]) if hit.get("title_html") else Markup(escape(hit["title"] or hit["id"]))

    def snippet(self, hit: dict) -> Markup:
        return safe_marked(hit["snippet"])

    def article_url(self, hit: dict) -> str:
        args = {"q": self.q} if self.q else {}
        back = self.url(keep_page=True)
        return url_for("pages.article", article_id=hit["id"], **args, back=back)

    def source_label(self, source: str | None) -> str:
        return source_names().get(source or "", source or "")

    def count(self, n: int) -> str:
        return count_reports(n)

    def search_url(self, q: str) -> str:
        return state_url(url_for("pages.index"), [("q", q)])

    def suggestion_url(self) -> str:
        return self.url(set_={"q": self.result["suggestion"]}) if self.result and self.result.get("suggestion") else ""


def _others(n: int, forms: tuple[str, ...], one: str, two: str) -> str:
    """«مصدر آخر», «مصدران آخران», «3 مصادر أخرى»: N others, the adjective agreeing with the count."""
    return one if n == 1 else two if n == 2 else f"{count_noun(n, forms)} أخرى"


class ArticleView:
    def __init__(self, article: dict, q: str, back: str = "", earliest: dict | None = None) -> None:
        self.article = article
        self.q = q
        self.back = back if back.startswith("/") and not back.startswith("//") else url_for("pages.index")
        self.earliest = earliest

    @property
    def story_others(self) -> list[dict]:
        """The story's other reports, earliest first."""
        return [a for a in self.article["story"]["articles"] if a["id"] != self.article["id"]]

    @property
    def story_url(self) -> str:
        return state_url(url_for("pages.index"), [("story", self.article["story"]["id"])])

    @property
    def is_earliest(self) -> bool:
        return self.earliest is None and bool(self.story_others)

    @property
    def differences(self):
        """This report against the story's earliest: sentences added, lacking, changed."""
        if self.earliest is None:
            return None
        from search.storydiff import compare

        return compare(self.earliest.get("content") or "", self.article.get("content") or "")

    def source_label(self, source: str | None) -> str:
        return source_names().get(source or "", source or "")

    def related_url(self, article_id: str) -> str:
        return url_for("pages.article", article_id=article_id, back=self.back)

    def filter_url(self, kind: str, value: str) -> str:
        return state_url(url_for("pages.index"), [(kind, value)])

    @property
    def paragraphs(self) -> list[Markup]:
        return [Markup(p) for p in marked_paragraphs(self.article, self.q, self.filter_url, self.date_url)]

    def date_url(self, day: str) -> str:
        """Reports about events on DAY (event dates found in their text)."""
        return state_url(url_for("pages.index"), [("from", day), ("to", day), ("date_field", "event")])

    @property
    def events(self) -> list[dict[str, Any]]:
        """The article's events for the page: labels, figures, place names and the anchor of the
        sentence in the text that reports it."""
        anchors = event_anchors(self.article)
        placed = {anchor for _, _, anchor in event_spans(self.article)}
        names = {p["id"]: p["name_ar"] for p in self.article.get("places", [])}
        out = []
        for event in self.article.get("events", []):
            text = (event.get("text") or "").strip()
            out.append({**event, "casualties": casualty_label(event.get("killed"), event.get("injured")),
                        "place_names": [names.get(p, p) for p in event.get("places") or []],
                        "anchor": anchors[text] if text and anchors[text] in placed else "",
                        "url": self.filter_url("event", event["subtype"])})
        return out

    @property
    def map(self) -> Markup:
        return place_map(self.article["places"], lambda place: self.filter_url("place", place["id"]))

    @property
    def place_kinds(self) -> dict[str, str]:
        return PLACE_KINDS

    @property
    def actor_types(self) -> dict[str, str]:
        return ACTOR_TYPES


Span = tuple[int, int, str, str]  # start, end, opening tag, closing tag


PROCLITICS = {"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"}


def whole_word(text: str, start: int, end: int) -> bool:
    """TEXT[start:end] is a word of its own, or one with a conjunction/preposition joined in
    front (وسوريا، بدير الزور): «قم» inside «قمة» is not the city of Qom."""
    if end < len(text) and text[end].isalpha():
        return False
    word_start = start
    while word_start > 0 and text[word_start - 1].isalpha():
        word_start -= 1
    return text[word_start:start] in PROCLITICS


def entity_spans(text: str, article: dict, link, date_link=None) -> list[Span]:
    """Where the article's extracted places, actors and dates are written, as link markup."""
    spans: list[Span] = []
    for kind, key in (("place", "places"), ("actor", "actors")):
        for entity in article.get(key, []):
            href = escape(link(kind, entity["id"]))
            title = escape(entity.get("name_ar") or entity["id"])
            for mention in sorted(set(entity.get("mentions") or []), key=len, reverse=True):
                if not mention.strip():
                    continue
                for m in re.finditer(re.escape(mention), text):
                    if whole_word(text, m.start(), m.end()):
                        spans.append((m.start(), m.end(),
                                      f'<a class="ent ent-{kind}" href="{href}" title="{title}">', "</a>"))
    for found in article.get("dates", []):
        surface = found.get("text") or ""
        if not surface.strip():
            continue
        day = escape(found["date"])
        opening = f'<time class="ent ent-date" datetime="{day}">'
        closing = "</time>"
        if date_link is not None:
            opening = f'<a class="ent ent-date" href="{escape(date_link(found["date"]))}" title="{day}">' + opening
            closing += "</a>"
        for m in re.finditer(re.escape(surface), text):
            spans.append((m.start(), m.end(), opening, closing))
    return spans


def query_spans(text: str, q: str) -> list[tuple[int, int]]:
    if not q.strip():
        return []
    from search.highlight import match_spans

    return list(match_spans(text, q))


def non_overlapping(spans: list[Span]) -> list[Span]:
    """Earliest first, then longest; a span that starts inside a kept one is dropped."""
    kept, cursor = [], 0
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if span[0] >= cursor:
            kept.append(span)
            cursor = span[1]
    return kept


def marked(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """TEXT[start:end] escaped, with the query's matches inside it wrapped in <mark>."""
    out, cursor = [], start
    for a, b in marks:
        a, b = max(a, cursor), min(b, end)
        if a >= b:
            continue
        out += [str(escape(text[cursor:a])), f"<mark>{escape(text[a:b])}</mark>"]
        cursor = b
    out.append(str(escape(text[cursor:end])))
    return "".join(out)


def render_spans(text: str, entities: list[Span], marks: list[tuple[int, int]]) -> str:
    """Escape TEXT, link the entity spans, and mark the query's matches (also inside links)."""
    marks = sorted(marks)
    out, cursor = [], 0
    for start, end, opening, closing in non_overlapping(entities):
        out.append(marked(text, cursor, start, marks))
        out.append(opening + marked(text, start, end, marks) + closing)
        cursor = end
    out.append(marked(text, cursor, len(text), marks))
    return "".join(out)


TITLE_SEPARATOR = "\n\n"  # extraction offsets count in title + separator + content


def event_anchors(article: dict) -> dict[str, str]:
    """Each distinct event sentence → the id of its highlight in the text (event-1, event-2…)."""
    anchors: dict[str, str] = {}
    for event in article.get("events", []):
        text = (event.get("text") or "").strip()
        if text and text not in anchors:
            anchors[text] = f"event-{len(anchors) + 1}"
    return anchors


def event_spans(article: dict) -> list[tuple[int, int, str]]:
    """Where in the content each event sentence is, by its offsets when they point at it (a
    sentence of the title is not in the body), else by its first occurrence; overlaps keep the
    earlier."""
    content = article.get("content") or ""
    shift = len(article.get("title") or "") + len(TITLE_SEPARATOR)
    found = []
    for text, anchor in event_anchors(article).items():
        event = next(e for e in article["events"] if (e.get("text") or "").strip() == text)
        start = event.get("start")
        at = -1
        if isinstance(start, int):
            at = start - shift + (len(event["text"]) - len(event["text"].lstrip()))
            if content[at:at + len(text)] != text:
                at = -1 if start < shift else content.find(text)
        else:
            at = content.find(text)
        if at >= 0:
            found.append((at, at + len(text), anchor))
    kept, cursor = [], 0
    for start, end, anchor in sorted(found):
        if start >= cursor:
            kept.append((start, end, anchor))
            cursor = end
    return kept


def marked_paragraphs(article: dict, q: str, filter_url, date_url=None) -> list[str]:
    """Paragraphs with entity links and query marks; the sentences that report an event are
    wrapped in a highlighted span that the page's event list links to."""
    def render(piece: str) -> str:
        return render_spans(piece, entity_spans(piece, article, filter_url, date_url), query_spans(piece, q))

    content = article.get("content") or ""
    events = event_spans(article)
    opened: set[str] = set()  # a sentence over two paragraphs carries its id once
    paragraphs = []
    for found in re.finditer(r"[^\n]+", content):
        paragraph, offset = found.group(0), found.start()
        if not paragraph.strip():
            continue
        out, cursor = [], 0
        for start, end, anchor in events:
            start, end = max(start - offset, cursor), min(end - offset, len(paragraph))
            if start >= end:
                continue
            out.append(render(paragraph[cursor:start]))
            ident = "" if anchor in opened else f' id="{anchor}"'
            opened.add(anchor)
            out.append(f'<span class="event-text"{ident}>{render(paragraph[start:end])}</span>')
            cursor = end
        out.append(render(paragraph[cursor:]))
        paragraphs.append("".join(out))
    return paragraphs
