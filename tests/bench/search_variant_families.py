"""The analyzer's variant-family evaluation run through search itself, entity matching on and off.

    python tests/bench/search_variant_families.py [--index /tmp/marsad-snn]

The families (a name, the query a user types, and a hand-written regex whose matches in an
article's title and text are the truth set) are those of tests/bench/variant_families.py. Here
each query goes through the search core as a user sends it: parsed, analyzed, rewritten by
entity matching (or not), evaluated over the index's views. The matching documents are read
from the evaluation's mask, since the page depth limit (10,000) would cut the larger families.
Multi-word names are run both as typed (words ANDed) and quoted (a phrase).

Entity matching adds documents whose extracted places/actors include the name under another
name (`داعش` also finds `تنظيم الدولة`): a regex of one spelling family cannot count those as
true, so with entities on, "precision" below is against the spelling family, not relevance.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.search_latency import ensure_index  # noqa: E402
from tests.bench.variant_families import FAMILIES, TARGET_PRECISION, TARGET_RECALL  # noqa: E402


def matching_docs(engine, q: str, entities: bool) -> set[int]:
    from search.engine import Search
    from search.params import parse_params

    params = parse_params({"q": q, "entities": entities})
    with engine.lease() as gen:
        match, _, _ = Search(gen, params, 0).evaluate(q)
        if match is None:
            return set()
        return set((match.mask & gen.columns.live).nonzero()[0].tolist())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path(tempfile.gettempdir()) / "marsad-snn")
    args = parser.parse_args()
    ensure_index(args.index, 1)
    from search.engine import Engine

    with Engine(args.index) as engine:
        with engine.lease() as gen:
            live = gen.columns.live.nonzero()[0].tolist()
            texts = {d: (gen.stored(d).get("title") or "") + "\n" + (gen.stored(d).get("content") or "") for d in live}
        rows = []
        for family in FAMILIES:
            pattern = re.compile(family.regex)
            truth = {d for d, text in texts.items() if pattern.search(text)}
            forms = [family.query] + ([f'"{family.query}"'] if len(family.query.split()) > 1 else [])
            for form in forms:
                for entities in (False, True):
                    found = matching_docs(engine, form, entities)
                    hit = len(found & truth)
                    recall = hit / len(truth) if truth else 1.0
                    precision = hit / len(found) if found else 1.0
                    rows.append((family.name, form, entities, len(truth), len(found), recall, precision))
    print(f"{'family':30} {'query':22} {'ent':>3} {'truth':>6} {'found':>6} {'recall':>7} {'prec':>6}")
    for name, form, entities, nt, nf, r, p in rows:
        flag = "" if (r >= TARGET_RECALL and p >= TARGET_PRECISION) else "  <"
        print(f"{name[:30]:30} {form[:22]:22} {'on' if entities else 'off':>3} {nt:6d} {nf:6d} {r:7.3f} {p:6.3f}{flag}")
    for entities in (False, True):
        typed = [row for row in rows if row[2] == entities and not row[1].startswith('"')]
        quoted = {row[0]: row for row in rows if row[2] == entities and row[1].startswith('"')}
        best = [quoted.get(row[0], row) for row in typed]  # a name as a phrase where it has words
        for label, chosen in (("as typed", typed), ("names quoted", best)):
            print(f"MEAN entities {'on ' if entities else 'off'} {label:13} recall {statistics.mean(r[5] for r in chosen):.3f}"
                  f"  precision {statistics.mean(r[6] for r in chosen):.3f}")


if __name__ == "__main__":
    main()
