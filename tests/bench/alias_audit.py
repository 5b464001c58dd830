"""Which place and actor aliases resolve wrongly on SaudiNewsNet: an audit for the curator.

Run by hand:  python tests/bench/alias_audit.py [--min 10] [--rate 0.5] [--top 60] [--dump FILE]

Over all of SaudiNewsNet (../shared/corpora/saudinewsnet, or $MARSAD_SHARED/corpora/...) it
extracts every article and, for each alias (surface, normalized) and the entity it resolved to,
counts how often it resolved and how often the article names the entity's context elsewhere:
for a place, its country (or another place or actor of that country) at another mention; for an
actor, a related actor, or its country or its allies' countries. An alias whose resolutions are
rarely supported (`أمانة العاصمة` → Sanaa in Riyadh municipal news) is listed, most unsupported
first, for review by hand. --dump writes every resolved mention (url, kind, id, surface, offset)
as JSON Lines: the frame the labelled mention sample (tests/bench/alias_eval.py) is drawn from.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from indexer.analysis import normalize  # noqa: E402
from indexer.entities.extract import Extractor, get_extractor  # noqa: E402


def shared_dir() -> Path:
    return Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))


def saudinewsnet(days: int | None = None) -> Iterator[dict]:
    """Every SaudiNewsNet article, read from the ZIPs at run time (never copied)."""
    folder = shared_dir() / "corpora" / "saudinewsnet"
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        raise SystemExit(f"no SaudiNewsNet ZIPs in {folder} (set MARSAD_SHARED)")
    for path in zips[:days]:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for a in json.loads(archive.read(name)):
                    a["published"] = dt.date.fromisoformat(a["date_extracted"][:10])
                    yield a


def article_spans(ex: Extractor, a: dict) -> tuple[list, list]:
    return ex.spans(a.get("title") or "", a.get("content") or "", a["published"], a.get("source"))


def alias_key(surface: str) -> str:
    return " ".join(normalize(w) for w in surface.split())


def checkable(ex: Extractor, kind: str, eid: str) -> bool:
    """Entities with a context to look for: not a country itself (its own name is its context),
    not the Gulf as a region, not a newspaper or an international body."""
    if kind == "place":
        return ex.country.get(eid) not in (None, eid)
    if ex.actor_contract[eid].get("type") in ("media", "international"):  # the UN's home is no context
        return False
    return bool(ex.actor_home.get(eid)) or bool(ex.related.get(eid))


def supported(ex: Extractor, kind: str, eid: str, start: int, places: list, actors: list) -> bool:
    """Does the article name this entity's context at another mention?"""
    others_p = [(p, s) for p, _, s in places if s != start and p != eid]
    others_a = [(a, s) for a, _, s in actors if s != start and a != eid]
    named_countries = {ex.country.get(p) for p, _ in others_p} | {ex.actor_country.get(a) for a, _ in others_a}
    named_countries.discard(None)
    if kind == "place":
        return ex.country.get(eid) in named_countries
    related = set(ex.related.get(eid, ()))
    if related & {a for a, _ in others_a}:
        return True
    return bool(ex.actor_home.get(eid, frozenset()) & named_countries)


def audit(ex: Extractor, articles, dump=None) -> tuple[dict, collections.Counter]:
    stats: dict[tuple[str, str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    per_entity: collections.Counter = collections.Counter()
    for a in articles:
        places, actors = article_spans(ex, a)
        for kind, hits in (("place", places), ("actor", actors)):
            for eid, surface, start in hits:
                row = stats[(kind, alias_key(surface), eid)]
                row[0] += 1
                row[1] += supported(ex, kind, eid, start, places, actors)
                per_entity[(kind, eid)] += 1
                if dump is not None:
                    dump.write(json.dumps({"url": a["url"], "source": a.get("source"),
                                           "published": a["published"].isoformat(), "kind": kind,
                                           "id": eid, "surface": surface, "start": start},
                                          ensure_ascii=False) + "\n")
    return stats, per_entity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=int, default=10, help="aliases resolved at least this often")
    parser.add_argument("--rate", type=float, default=0.5, help="list aliases supported below this rate")
    parser.add_argument("--top", type=int, default=60, help="most frequent entities to print")
    parser.add_argument("--days", type=int, default=None, help="only the first N crawl days")
    parser.add_argument("--dump", type=Path, help="write every resolved mention here (JSON Lines)")
    args = parser.parse_args()

    ex = get_extractor()
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    try:
        stats, per_entity = audit(ex, saudinewsnet(args.days), dump)
    finally:
        if dump is not None:
            dump.close()
    total = sum(n for n, _ in stats.values())
    print(f"{total} resolved mentions, {len(stats)} (alias, entity) pairs, {len(per_entity)} entities")
    print(f"\n{args.top} most frequent entities (resolved mentions):")
    for (kind, eid), n in per_entity.most_common(args.top):
        print(f"  {n:6d}  {kind:5s} {eid}")
    print(f"\naliases supported in < {args.rate:.0%} of ≥ {args.min} resolutions, most unsupported first:")
    print(f"  {'n':>6s} {'supp':>5s} {'rate':>5s}  kind  alias → entity")
    suspects = [(n - s, n, s, key) for key, (n, s) in stats.items()
                if n >= args.min and s / n < args.rate and checkable(ex, key[0], key[2])]
    for unsupported, n, s, (kind, alias, eid) in sorted(suspects, reverse=True):
        print(f"  {n:6d} {s:5d} {s / n:5.2f}  {kind:5s} {alias} → {eid}")


if __name__ == "__main__":
    main()
