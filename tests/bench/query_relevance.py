"""Relevance of natural queries on SaudiNewsNet: strict AND (today's engine, expand=false),
relaxed to most words without synonyms, and relaxed with the synonym table (the default).

    python tests/bench/query_relevance.py [--index DIR]            # P@10 and nDCG@10, tuned and blind apart
    python tests/bench/query_relevance.py --pool FILE [--index DIR] # the judging pool: top 10 of each system
    python tests/bench/query_relevance.py --latency [--rounds 5]     # complete responses of these queries, per system

The queries are typed the way analysts type them: sentences, not operators. The judgments in
tests/data/query_relevance/judgments.tsv were made by reading the pooled reports (title and
text) BEFORE any tuning; they name reports by id and URL only, the text is read from the index
built of ../shared at run time. Every third query (blind=1) was never looked at while tuning
and is scored apart. A report in a top 10 that was never judged counts as not relevant; the
number of such reports is printed so a change that surfaces unjudged reports shows.

The index is built into --index when missing (≈ 1–3 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import csv
import math
import json
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from unittest import mock

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.search_latency import ensure_index  # noqa: E402

DATA = REPO / "tests" / "data" / "query_relevance"
K = 10

# (id, query): every third id is blind.
QUERIES: list[tuple[int, str]] = list(enumerate([
    "مقتل جنود سعوديين على الحدود",
    "سقوط قذائف حوثية على جازان",
    "قصف الحوثيين لمدينة نجران",
    "تفجير مسجد قوات الطوارئ في أبها",
    "هجوم انتحاري على مسجد في عسير",
    "مقتل عسكريين أتراك في هجوم لحزب العمال الكردستاني",
    "غارات تركية على مواقع داعش في سوريا",
    "تحرير قاعدة العند الجوية",
    "سيطرة المقاومة الشعبية على عدن",
    "قصف الحوثيين للأحياء السكنية في تعز",
    "سقوط ضحايا مدنيين في اليمن",
    "هدنة إنسانية في اليمن",
    "مساعدات إغاثية سعودية لليمن",
    "إحراق رضيع فلسطيني على يد مستوطنين",
    "اختطاف رهينة كرواتي في مصر",
    "هجوم على الجيش المصري في سيناء",
    "اعتقال خلية إرهابية في السعودية",
    "القبض على مطلوبين أمنيين في القطيف",
    "تفجير في البحرين يقتل رجال شرطة",
    "اشتباكات في الزبداني بين حزب الله والمعارضة",
    "جبهة النصرة تخطف مقاتلين دربتهم أمريكا",
    "منطقة آمنة في شمال سوريا",
    "غارات التحالف على صنعاء",
    "مقتل قيادي حوثي في غارة",
    "تهريب أسلحة إيرانية إلى البحرين",
    "استهداف دورية أمنية بعبوة ناسفة",
    "انفجار سيارة مفخخة في بغداد",
    "مظاهرات في بغداد ضد الفساد وانقطاع الكهرباء",
    "معارك الرمادي ضد داعش",
    "قتلى في هجوم على فندق في مقديشو",
    "هجمات بوكو حرام في نيجيريا",
    "تفجيرات في كابول تقتل العشرات",
    "تنظيم داعش يسيطر على سرت الليبية",
    "اشتباكات في بنغازي",
    "نزوح آلاف اليمنيين من منازلهم",
    "ألغام زرعها الحوثيون في عدن",
    "قادة حوثيون يسلمون أنفسهم للمقاومة",
    "صاروخ سكود أطلقه الحوثيون على السعودية",
    "إصابة جنود في اشتباكات مع متسللين",
    "مقتل متسللين حاولوا عبور الحدود",
    "ضبط متفجرات وأحزمة ناسفة",
    "البراميل المتفجرة على المدنيين في سوريا",
    "استشهاد رجل أمن في نجران",
    "هجوم على حرس الحدود السعودي",
    "إعدام رهائن على يد داعش",
]))


def blind(query_id: int) -> bool:
    return query_id % 3 == 2


@contextmanager
def system(name: str) -> Iterator[dict]:
    """Search parameters (and a patch) for one of the systems compared."""
    if name == "strict":
        yield {"expand": False}
    elif name == "relaxed":  # most words, no synonym table
        with mock.patch("search.engine.with_synonyms", lambda tree: tree):
            yield {"expand": True}
    else:
        yield {"expand": True}


SYSTEMS = ("strict", "relaxed", "expanded")


def top(engine, q: str, params: dict) -> list[dict]:
    return engine.search({"q": q, "per_page": K, **params})["hits"]


def read_judgments() -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    with open(DATA / "judgments.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"):
            out.setdefault(int(row["query"]), {})[row["id"]] = int(row["relevant"])
    return out


def precision(ranked: list[str], judged: dict[str, int]) -> float:
    return sum(judged.get(d, 0) for d in ranked[:K]) / K


def ndcg(ranked: list[str], judged: dict[str, int]) -> float:
    gains = [judged.get(d, 0) for d in ranked[:K]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(judged.values(), reverse=True)[:K]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def write_pool(engine, path: Path) -> None:
    """Every report in any system's top 10, once per query, with its title and opening, to read."""
    with open(path, "w", encoding="utf-8") as out:
        for query_id, q in QUERIES:
            seen: dict[str, dict] = {}
            for name in SYSTEMS:
                with system(name) as params:
                    for hit in top(engine, q, params):
                        seen.setdefault(hit["id"], hit)
            out.write(f"\n### {query_id}\t{q}\n")
            for doc_id, hit in seen.items():
                text = engine.article(doc_id)["content"].replace("\n", " ")[:260]
                out.write(f"{query_id}\t{doc_id}\t{hit['url']}\t{hit['published']} {hit['source']}\n"
                          f"    {hit['title']}\n    {text}\n")


def score(engine) -> None:
    judgments = read_judgments()
    missing = [i for i, _ in QUERIES if i not in judgments]
    if missing:
        sys.exit(f"queries without judgments: {missing}")
    for part, chosen in (("tuned", [q for q in QUERIES if not blind(q[0])]),
                         ("blind", [q for q in QUERIES if blind(q[0])])):
        relevant = sum(sum(judgments[i].values()) for i, _ in chosen)
        print(f"\n{part}: {len(chosen)} queries, {relevant} reports judged relevant")
        print(f"{'system':<10} {'P@10':>6} {'nDCG@10':>8} {'unjudged in top 10':>20} {'no hits':>8}")
        for name in SYSTEMS:
            with system(name) as params:
                p_sum = n_sum = 0.0
                unjudged = empty = 0
                for query_id, q in chosen:
                    ranked = [h["id"] for h in top(engine, q, params)]
                    judged = judgments[query_id]
                    p_sum += precision(ranked, judged)
                    n_sum += ndcg(ranked, judged)
                    unjudged += sum(1 for d in ranked if d not in judged)
                    empty += not ranked
            print(f"{name:<10} {p_sum / len(chosen):6.3f} {n_sum / len(chosen):8.3f} {unjudged:>20} {empty:>8}")


def latency(engine, rounds: int) -> None:
    """CPU time of complete responses (page 1 with facets and snippets, JSON-serialized) of the natural
    queries, the systems interleaved query by query so the machine's load falls on all alike; the
    per-query cache is off (the engine is opened with query_cache=0)."""
    samples: dict[str, list[float]] = {name: [] for name in SYSTEMS}
    for round_number in range(rounds + 1):
        for _, q in QUERIES:
            for name in SYSTEMS:
                with system(name) as params:
                    started = time.process_time()
                    json.dumps(engine.search({"q": q, **params}), ensure_ascii=False)
                    if round_number:  # the first round warms the caches
                        samples[name].append((time.process_time() - started) * 1000)
    print(f"\nCPU time of a complete response, {len(QUERIES)} natural queries × {rounds} rounds")
    for name, values in samples.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"{name:<10} p50 {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms  mean {statistics.fmean(ordered):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path(tempfile.gettempdir()) / "marsad-snn")
    parser.add_argument("--pool", type=Path, help="write the judging pool here instead of scoring")
    parser.add_argument("--latency", action="store_true", help="time the systems instead of scoring them")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    assert len(QUERIES) >= 40
    ensure_index(args.index, 1)
    from search.engine import Engine

    with Engine(args.index, query_cache=0) as engine:
        if args.pool:
            write_pool(engine, args.pool)
        elif args.latency:
            latency(engine, args.rounds)
        else:
            score(engine)


if __name__ == "__main__":
    main()
