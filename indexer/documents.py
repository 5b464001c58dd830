"""One validated article → the fields of one Whoosh document (analysis + extraction).

This is the per-article work of a build, run in the worker processes. Title and body are
analyzed once each; the exact and stem views come out of the same pass.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import Schema

from .analysis import analyzed_terms
from .events.killed_days import killed_day_terms
from .events.numbers import count_or_none
from .stories import Fingerprint, fingerprint
from .validation import Article
from .writer import NOTHING, Prepared, postings_for

TEXT_VIEWS = (("title", "title_exact", "title_stem"), ("content", "body_exact", "body_stem"))


def views(schema: Schema, text: str, exact_field: str, stem_field: str) -> tuple[Prepared, Prepared, list[str]]:
    """The exact and stem postings of TEXT, and its normalized words (for the story fingerprint)."""
    terms = analyzed_terms(text) if text else []
    words = [t[0] for t in terms]
    return (postings_for(schema[exact_field], words),
            postings_for(schema[stem_field], [t[1] for t in terms]), words)


def put(fields: dict[str, Any], name: str, value: str | None) -> None:
    """Index VALUE, and store "" rather than leaving the key out when there is nothing to index,
    so every stored document has the same keys."""
    if value:
        fields[name] = value
    else:
        fields[name] = NOTHING
        fields[f"_stored_{name}"] = ""


def casualty_term(value: Any) -> str | None:
    """A stated total as its decimal term; None (not stated) and anything else as no term."""
    count = count_or_none(value)
    return None if count is None else str(count)


def document_fields(article: Article, extractor: Any, schema: Schema) -> dict[str, Any]:
    """Keyword arguments for PreparedSegmentWriter.add_document."""
    return indexed_document(article, extractor, schema)[0]


def indexed_document(article: Article, extractor: Any, schema: Schema) -> tuple[dict[str, Any], Fingerprint]:
    """The document's fields and its story fingerprint, from one analysis of title and body."""
    extraction = extractor.extract(article.title, article.content, article.published_date, article.source or None)
    ids = extractor.index_fields(extraction)
    fields: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "content": article.content,
        "author": article.author,
        "published_day": article.published_day,
        "entities": extraction,
        "content_hash": article.content_hash,
        "partial": article.partial,
    }
    put(fields, "url", article.url)
    put(fields, "source", article.source)
    put(fields, "published", article.published)
    for name in ("places", "place_mentions", "actors", "event_dates", "events"):
        put(fields, name, ",".join(ids.get(name) or ()))
    for name in ("killed", "injured"):
        put(fields, name, casualty_term(extraction.get(name)))
    put(fields, "killed_days", ",".join(killed_day_terms(extraction.get("events") or (), len(article.title),
                                                         article.published)))
    words: list[str] = []
    for attribute, exact_field, stem_field in TEXT_VIEWS:
        fields[exact_field], fields[stem_field], view_words = views(
            schema, getattr(article, attribute), exact_field, stem_field)
        words.extend(view_words)
    return fields, fingerprint(words)
