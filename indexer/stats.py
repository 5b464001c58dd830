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


def index_figures(reader: IndexReader) -> dict[str, Any]:
    """`unknown_sources`: outlets not in the sources data file (web pages from unlisted domains
    get their domain as source id), the ones a curator should add."""
    from .readers.outlets import known_source_ids

    published = live_terms(reader, "published")
    sources = live_terms(reader, "source")
    known = known_source_ids()
    return {
        "documents": reader.doc_count(),
        "sources": len(sources),
        "unknown_sources": sum(1 for source in sources if source not in known),
        "published_min": published[0] if published else None,
        "published_max": published[-1] if published else None,
        "places": len(live_terms(reader, "place_mentions")),
        "actors": len(live_terms(reader, "actors")),
    }
