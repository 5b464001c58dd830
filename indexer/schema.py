"""The Whoosh schema of a Marsad index generation.

Field names are part of the index format that search/ reads (it learns the analyzers from the
schema Whoosh stores in the index). Title and body each have two views: `*_exact`
(normalized, unstemmed, positions: phrases and precision) and `*_stem` (recall).
Entity fields hold ids: `places` includes every ancestor of a mentioned place, so a filter on
a governorate finds its towns; `place_mentions` holds only what the text names. `events` holds
the ACLED sub-event ids the text reports and their type ids (a type filter is one term);
`killed`/`injured` the article's totals as one decimal term each (none: not stated; keyword
fields, so that an empty value indexes no term in Whoosh's own writer either), which
search/ reads into columns for `min_killed` and `sort=killed`; `killed_days` the killed per event
day (`YYYY-MM-DD:killed` terms, indexer.events.killed_days) for the histogram with
date_field=event. Per-event detail stays in the stored extraction (`entities`).
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import exact_analyzer, stem_analyzer


def build_schema() -> Schema:
    exact = exact_analyzer()
    stem = stem_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        url=ID(stored=True),
        source=ID(stored=True),
        title=STORED(),
        content=STORED(),
        author=STORED(),
        published=ID(stored=True),
        published_day=NUMERIC(int, bits=32, stored=False, sortable=True, signed=False),
        title_exact=TEXT(analyzer=exact, phrase=True, field_boost=1.0),
        title_stem=TEXT(analyzer=stem, phrase=False, field_boost=1.0),
        body_exact=TEXT(analyzer=exact, phrase=True, field_boost=1.0),
        body_stem=TEXT(analyzer=stem, phrase=False, field_boost=1.0),
        places=KEYWORD(commas=True, scorable=False, lowercase=False),
        place_mentions=KEYWORD(commas=True, scorable=False, lowercase=False, stored=True),
        actors=KEYWORD(commas=True, scorable=False, lowercase=False, stored=True),
        event_dates=KEYWORD(commas=True, scorable=False, lowercase=False, stored=True),
        events=KEYWORD(commas=True, scorable=False, lowercase=False, stored=True),
        killed=KEYWORD(scorable=False, lowercase=False, stored=True),
        injured=KEYWORD(scorable=False, lowercase=False, stored=True),
        killed_days=KEYWORD(commas=True, scorable=False, lowercase=False),
        entities=STORED(),
        content_hash=ID(stored=True),
        partial=STORED(),
    )
