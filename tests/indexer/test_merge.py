"""Segment merging on real tiny indexes: updates keep the segment count bounded, a merged index
answers every search exactly as a fresh build of the same articles does, deletions really go,
and a kill during a merge leaves the live generation untouched."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import generations as gens
from indexer.build import build_index, update_index
from indexer.compact import compact_index
from indexer.merge import COMPACT_POLICY, MergePolicy, SegmentSize, plan_merges
from search.engine import Engine

from .conftest import PLACES, REPO, code_word, live_folder, make_article, write_jsonl

SMALL = MergePolicy(factor=3, floor=1, max_docs=10_000, budget_docs=None)
QUERIES = [{"q": q} for q in ("اشتباكات", "قافلة مساعدات", "الكهرباء", "\"فرق الإسعاف\"", "النازحين عودة")] + \
    [{"q": "", "place": [p]} for p in PLACES[:3]] + [{"q": code_word(7)}, {"q": "", "sort": "newest"},
                                                       {"q": "تقرير", "sort": "oldest", "from": "2020-03-01"}]


def answers(home: Path, scores: bool = True) -> list[Any]:
    """Every query's complete answer, hits in rank order (ties by id: document numbers differ),
    scores to 5 digits; the parts a user sees. Without SCORES: the hits as a set (a replaced
    copy that is marked deleted but not yet merged away still counts in a term's document
    frequency, as in Whoosh, so scores differ slightly until it is merged)."""
    out = []
    with Engine(home) as engine:
        for query in QUERIES:
            result = engine.search({**query, "per_page": 100})
            hits = [(round(h["score"], 5) if h.get("score") is not None else None, h["id"], h["title"],
                     h["snippet"], h["published"], h["source"], json.dumps(h["places"]), json.dumps(h["actors"]))
                    for h in result["hits"]]
            if not scores:
                hits = sorted(h[1:] for h in hits)
            elif query.get("sort", "relevance") == "relevance":
                hits.sort(key=lambda h: (-(h[0] or 0), h[1]))
            else:
                hits.sort(key=lambda h: (h[4], h[1]))
            facets = {name: rows if name == "date" else sorted(rows, key=lambda r: (-r["count"], r["value"]))
                      for name, rows in result["facets"].items()}  # equal counts: in no set order
            out.append((result["total"], hits, facets))
    return out


def segment_count(home: Path) -> int:
    return len(gens.open_index(live_folder(home))._segments())


def fresh_build(tmp_path: Path, articles: list[dict]) -> Path:
    home = tmp_path / "fresh"
    build_index([write_jsonl(tmp_path / "fresh.jsonl", articles)], home, workers=1)
    return home


def run_updates(tmp_path: Path, home: Path, batches: list[list[dict]], policy: MergePolicy) -> list[dict]:
    summaries = []
    for n, batch in enumerate(batches):
        summaries.append(update_index([write_jsonl(tmp_path / f"u{n}.jsonl", batch)], home, merge_policy=policy))
    return summaries


def test_many_small_updates_keep_segments_bounded_and_search_identical(tmp_path: Path) -> None:
    home = tmp_path / "home"
    build_index([write_jsonl(tmp_path / "base.jsonl", [make_article(i) for i in range(20)])], home, workers=1)
    batches = [[make_article(100 + 3 * n + k) for k in range(3)] for n in range(24)]
    summaries = run_updates(tmp_path, home, batches, SMALL)
    assert any(s["merge"]["merges"] for s in summaries)
    # at most factor-1 segments per level; 92 documents in levels of 1, 3, 9, 27, 81
    assert segment_count(home) <= (SMALL.factor - 1) * 5
    articles = [make_article(i) for i in range(20)] + [a for batch in batches for a in batch]
    assert answers(home) == answers(fresh_build(tmp_path, articles))


def test_without_merging_segments_pile_up(tmp_path: Path) -> None:
    """The baseline the policy fixes: one more segment per update."""
    home = tmp_path / "home"
    build_index([write_jsonl(tmp_path / "base.jsonl", [make_article(i) for i in range(5)])], home, workers=1)
    never = MergePolicy(factor=10**6, floor=1, budget_docs=None, expunge=2.0)
    run_updates(tmp_path, home, [[make_article(100 + n)] for n in range(6)], never)
    assert segment_count(home) == 7


def test_merging_drops_replaced_documents_for_good(tmp_path: Path) -> None:
    home = tmp_path / "home"
    build_index([write_jsonl(tmp_path / "base.jsonl", [make_article(i) for i in range(12)])], home, workers=1)
    changed = [make_article(i, content=f"نص مصحح للتقرير {i} عن هدنة جديدة في المدينة.") for i in range(6)]
    run_updates(tmp_path, home, [changed[:3], changed[3:]], MergePolicy(factor=10**6, floor=1, budget_docs=None,
                                                                        expunge=2.0))
    with gens.open_index(live_folder(home)).reader() as reader:
        assert reader.doc_count_all() - reader.doc_count() == 6  # replaced copies, marked deleted
    run_updates(tmp_path, home, [[make_article(50)]], COMPACT_POLICY)
    with gens.open_index(live_folder(home)).reader() as reader:
        assert reader.doc_count_all() == reader.doc_count() == 13
        assert len(reader.leaf_readers()) == 1
    articles = changed + [make_article(i) for i in range(6, 12)] + [make_article(50)]
    assert answers(home) == answers(fresh_build(tmp_path, articles))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=5), min_size=1, max_size=6),
       st.integers(2, 4))
def test_any_update_sequence_searches_like_a_fresh_build(tmp_path_factory: pytest.TempPathFactory,
                                                         batches: list[list[int]], factor: int) -> None:
    """New and replaced articles in any order (a number seen again comes back with new text)."""
    tmp = tmp_path_factory.mktemp("seq")
    home = tmp / "home"
    latest = {i: make_article(i) for i in range(8)}
    build_index([write_jsonl(tmp / "base.jsonl", list(latest.values()))], home, workers=1)
    version = 0
    docs_batches = []
    for batch in batches:
        docs = {}
        for i in batch:
            version += 1
            docs[i] = make_article(i) if i not in latest else \
                make_article(i, content=f"صيغة {version} من التقرير {i} عن {PLACES[version % 10]}، {code_word(i)}.")
        latest.update(docs)
        docs_batches.append(list(docs.values()))
    run_updates(tmp, home, docs_batches, MergePolicy(factor=factor, floor=1, budget_docs=None))
    fresh = fresh_build(tmp, list(latest.values()))
    assert answers(home, scores=False) == answers(fresh, scores=False)
    compact_index(home)
    assert answers(home) == answers(fresh)


@given(st.lists(st.builds(SegmentSize, st.integers(0, 5000), st.integers(0, 500)), max_size=40),
       st.integers(2, 10), st.integers(1, 2000))
def test_plan_respects_the_policy(sizes: list[SegmentSize], factor: int, max_docs: int) -> None:
    policy = MergePolicy(factor=factor, floor=10, max_docs=max_docs, budget_docs=3000)
    groups = plan_merges(sizes, policy)
    docs = [s.live for s in sizes]
    used: set[int] = set()
    for group in groups:
        assert not used & set(group)  # a segment is merged once (its result may merge again)
        used |= set(group)
        merged = sum(docs[i] for i in group)
        assert len(group) == 1 or merged <= max_docs
        docs.append(merged)
    assert sum(docs[len(sizes) + n] for n in range(len(groups))) <= 3000 or not groups


def test_plan_bounds_the_count_after_many_small_updates() -> None:
    policy = MergePolicy(factor=4, floor=100, max_docs=10**9, budget_docs=None)
    sizes: list[int] = []
    for _ in range(2000):
        sizes.append(100)
        groups = plan_merges([SegmentSize(s) for s in sizes], policy)
        slots = list(sizes)
        for group in groups:
            slots.append(sum(slots[i] for i in group))
            for i in group:
                slots[i] = 0
        sizes = [s for s in slots if s]
        assert len(sizes) <= (policy.factor - 1) * (policy.level(sum(sizes)) + 1) + 1
    assert sum(sizes) == 200_000


MERGE_SLOWLY = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import indexer.merge as merge
    from indexer.build import update_index
    real = merge.merge_segments
    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        print("merged", flush=True)
        time.sleep(60)
        return result
    merge.merge_segments = slow
    update_index([Path(sys.argv[1])], Path(sys.argv[2]), merge_policy=merge.COMPACT_POLICY)
""")


def test_kill_during_a_merge_leaves_the_live_generation_untouched(tmp_path: Path) -> None:
    home = tmp_path / "home"
    build_index([write_jsonl(tmp_path / "base.jsonl", [make_article(i) for i in range(30)])], home, workers=1)
    update_index([write_jsonl(tmp_path / "u0.jsonl", [make_article(i, title=f"عنوان {i}") for i in range(5)])],
                 home, merge_policy=MergePolicy(factor=10**6, budget_docs=None))
    live = live_folder(home)
    before = {p.name: (p.stat().st_ino, p.stat().st_size) for p in live.iterdir()}
    answers_before = answers(home)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen([sys.executable, "-c", MERGE_SLOWLY, str(write_jsonl(tmp_path / "u1.jsonl",
                                [make_article(77)])), str(home)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert process.stdout.readline().strip() == "merged"  # a merged segment is on disk, unpublished
        assert any(p.name.startswith(gens.BUILD_PREFIX) for p in home.iterdir())
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert live_folder(home) == live
    assert {p.name: (p.stat().st_ino, p.stat().st_size) for p in live.iterdir()} == before
    gens.check_generation(live)
    assert answers(home) == answers_before
    summary = update_index([tmp_path / "u1.jsonl"], home, merge_policy=COMPACT_POLICY)  # the next run sweeps up
    assert summary["merge"]["segments_after"] == 1 and segment_count(home) == 1
    assert not any(p.name.startswith(gens.BUILD_PREFIX) for p in home.iterdir())


def test_an_update_merges_its_own_small_segments_never_the_builds() -> None:
    from indexer.merge import UPDATE_POLICY

    build = [SegmentSize(5_000)] * 6
    assert plan_merges(build + [SegmentSize(500)] * 2, UPDATE_POLICY) == []
    assert plan_merges(build + [SegmentSize(500)] * 4, UPDATE_POLICY) == [[6, 7, 8, 9]]
    assert plan_merges(build + [SegmentSize(3_000)] * 3 + [SegmentSize(900)], UPDATE_POLICY) == [[6, 7, 8, 9]]
    assert plan_merges([SegmentSize(5_000, 3_000)] + build, UPDATE_POLICY) == [[0]]  # mostly deleted: rewritten


def test_compact_cli_merges_once_then_has_nothing_to_do(tmp_path: Path) -> None:
    from .conftest import marsad

    home = tmp_path / "home"
    build_index([write_jsonl(tmp_path / "base.jsonl", [make_article(i) for i in range(6)])], home, workers=1)
    run_updates(tmp_path, home, [[make_article(1, title="عنوان مصحح")], [make_article(9)]],
                MergePolicy(factor=10**6, budget_docs=None, expunge=2.0))
    first = marsad("index", "compact", "--index", str(home), "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["changed"] and (summary["segments_before"], summary["segments_after"]) == (3, 1)
    assert summary["dropped_deleted"] == 1 and summary["documents"] == 7
    marker = gens.check_generation(live_folder(home))
    assert marker["kind"] == "compact" and marker["documents"] == 7 and marker["segments"] == 1
    again = json.loads(marsad("index", "compact", "--index", str(home), "--json").stdout)
    assert again["changed"] is False and again["generation"] == summary["generation"]
    missing = marsad("index", "compact", "--index", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no index" in missing.stderr and "Traceback" not in missing.stderr
