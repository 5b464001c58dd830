"""marsad.json's figures, read from a finished index rather than counted during the build, so a
build and an update (which deletes replaced documents) compute them the same way."""

from __future__ import annotations

from typing import Any

from whoosh.reading import IndexReader


def live_terms(reader: IndexReader, fieldname: str) -> list[str]:
    """Terms of FIELDNAME that at least one non-deleted document still has, in sorted order."""
    if fieldname not in reader.schema:
        return []
    terms = []
    deletions = reader.has_deletions()
    for btext in reader.lexicon(fieldname):
        if deletions and not reader.postings(fieldname, btext).is_active():
            continue
        terms.append(btext.decode("utf-8") if isinstance(btext, bytes) else btext)
    return terms


def live_range(reader: IndexReader, fieldname: str) -> tuple[str | None, str | None]:
    """The first and last live term of FIELDNAME. `published` has about one term per article, so
    checking every term's postings (live_terms) made each update's figures grow with the index;
    here only the terms at either end are checked until a live one is found."""
    if fieldname not in reader.schema:
        return None, None
    terms = list(reader.lexicon(fieldname))
    deletions = reader.has_deletions()

    def live(btext: bytes) -> bool:
        return not deletions or reader.postings(fieldname, btext).is_active()

    first = next((t for t in terms if live(t)), None)
    if first is None:
        return None, None
    last = next(t for t in reversed(terms) if live(t))
    text = (lambda t: t.decode("utf-8") if isinstance(t, bytes) else t)
    return text(first), text(last)


def index_figures(reader: IndexReader) -> dict[str, Any]:
    """`unknown_sources`: outlets not in the sources data file (web pages from unlisted domains
    get their domain as source id), the ones a curator should add."""
    from .readers.outlets import known_source_ids

    published_min, published_max = live_range(reader, "published")
    sources = live_terms(reader, "source")
    known = known_source_ids()
    return {
        "documents": reader.doc_count(),
        "sources": len(sources),
        "unknown_sources": sum(1 for source in sources if source not in known),
        "published_min": published_min,
        "published_max": published_max,
        "places": len(live_terms(reader, "place_mentions")),
        "actors": len(live_terms(reader, "actors")),
    }
