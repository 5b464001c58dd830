"""Precision of resolved place and actor mentions on hand-checked SaudiNewsNet samples.

Run by hand:  python tests/bench/alias_eval.py [--show-wrong]

tests/data/alias_eval/tuned.jsonl was drawn from the extractor before the issue-15 fixes
(7 resolved mentions of each of the 60 most frequent places and actors) and labelled by
reading each mention in its article, then used to tune; blind.jsonl was drawn the same way
from the fixed extractor, labelled, and never tuned on. Each label holds the article URL, the
offset and surface of the mention, the id resolved when it was drawn (`id`, and for the
blind part `before`: what 03f5803 resolved there), and the right entity (`truth`, null when
the words name nothing in the books). Texts are read from ../shared at run time.

Precision = mentions resolved to their true entity / mentions resolved; a mention the
extractor no longer resolves is counted apart (dropped right when truth is null, lost otherwise).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "bench"))

from alias_audit import saudinewsnet  # noqa: E402
from indexer.entities.extract import get_extractor  # noqa: E402

LABELS = REPO / "tests" / "data" / "alias_eval"
PARTS = ("tuned", "blind")
INSIDE_REACH = 60


def read_labels(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("//"):
            continue
        row = json.loads(line)
        missing = {"url", "start", "surface", "kind", "id", "truth"} - row.keys()
        if missing:
            raise SystemExit(f"{path}:{number}: missing {sorted(missing)}")
        rows.append(row)
    return rows


def resolved_at(hits: dict[str, list], kind: str, start: int, surface: str) -> str | None:
    """The entity the extractor gives the mention at START: the same words first, then a
    name of the same kind that now covers them (`خادم الحرمين الشريفين الملك سلمان`)."""
    for eid, found, at in hits["place"] + hits["actor"]:
        if at == start and found == surface:
            return eid
    for eid, found, at in hits[kind]:  # a nisba inside an actor's name was drawn at the name's start
        if found == surface and start <= at < start + INSIDE_REACH:
            return eid
    for eid, found, at in hits[kind]:
        if at < start + len(surface) and start < at + len(found):
            return eid
    return None


def score(rows: list[dict], answer) -> dict:
    resolved = [r for r in rows if answer(r) is not None]
    right = [r for r in resolved if answer(r) == r["truth"]]
    unresolved = [r for r in rows if answer(r) is None]
    return {"n": len(rows), "resolved": len(resolved), "right": len(right),
            "precision": len(right) / len(resolved) if resolved else 1.0,
            "dropped_right": sum(r["truth"] is None for r in unresolved),
            "lost": sum(r["truth"] is not None for r in unresolved)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args()
    parts = {p: read_labels(LABELS / f"{p}.jsonl") for p in PARTS if (LABELS / f"{p}.jsonl").exists()}
    urls = {r["url"] for rows in parts.values() for r in rows}
    ex = get_extractor()
    now: dict[tuple[str, int], str | None] = {}
    for a in saudinewsnet():
        if a["url"] not in urls:
            continue
        places, actors = ex.spans(a.get("title") or "", a.get("content") or "", a["published"], a.get("source"))
        for rows in parts.values():
            for r in rows:
                if r["url"] == a["url"]:
                    hits = {"place": places, "actor": actors}
                    now[(r["url"], r["start"])] = resolved_at(hits, r["kind"], r["start"], r["surface"])
    print(f"{'part':6s} {'extractor':9s} {'n':>4s} {'resolved':>8s} {'right':>5s} {'precision':>9s} "
          f"{'dropped(right)':>14s} {'lost':>4s}")
    for name, rows in parts.items():
        before = (lambda r: r["id"]) if name == "tuned" else (lambda r: r.get("before"))
        for label, answer in (("03f5803", before), ("now", lambda r: now.get((r["url"], r["start"])))):
            s = score(rows, answer)
            print(f"{name:6s} {label:9s} {s['n']:4d} {s['resolved']:8d} {s['right']:5d} {s['precision']:9.3f} "
                  f"{s['dropped_right']:14d} {s['lost']:4d}")
        if args.show_wrong:
            for r in rows:
                got = now.get((r["url"], r["start"]))
                if got != r["truth"]:
                    print(f"  {name}: {r['surface']} → {got} (truth {r['truth']}) {r['url']} @{r['start']}")


if __name__ == "__main__":
    main()
