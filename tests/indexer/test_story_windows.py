"""Grouping a window of days at a time must give the stories the whole-corpus computation gives:
the same links, the same common shingles, the same story of every report, however the days are
cut into windows (one report per block, a few days, everything at once)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from indexer import stories as grouping
from indexer import story_windows
from indexer.story_windows import DayCounter, MemberSource


def whole_corpus(members: list[grouping.Member]) -> tuple[list[str], list[grouping.Edge], np.ndarray]:
    """The grouping computed over every report at once (the code before windows)."""
    common = grouping.common_shingles([m.fingerprint for m in members], [m.day for m in members])
    edges = grouping.checked_pairs(members, grouping.candidate_pairs(members), common)
    return grouping.story_ids(members, edges), edges, common


def windowed(members: list[grouping.Member], tmp: Path, block: int, chunk: int = 7):
    result = story_windows.group(MemberSource(members), lambda p: members[p].id, tmp, block=block, chunk=chunk)
    return [members[r].id for r in result.roots.tolist()], result.edge_list(), result.common


def newsroom(seed: int, days: int = 40, per_day: int = 6) -> list[grouping.Member]:
    """Reports over DAYS days, in no particular order: stories retold by three outlets over one
    to three days (so some straddle any cut between days), a bulletin template every day (its
    shingles become common), follow-ups days later, one-line items without a sketch, and a few
    undated reports."""
    rng = np.random.default_rng(seed)
    template = np.arange(10 ** 6, 10 ** 6 + 200)
    members: list[grouping.Member] = []

    def add(day: int, shingles: np.ndarray) -> None:
        shingles = np.unique(shingles.astype(np.uint32))
        members.append(grouping.Member(f"r{len(members):05d}", day, grouping.sketched(shingles)))

    for day in range(days):
        for story in range(per_day):
            own = rng.choice(10 ** 5, 80, replace=False) + (day * per_day + story) * 10 ** 5
            for copy in range(3):
                later = int(rng.integers(0, 3)) if copy else 0  # a retelling one or two days later
                kept = own[rng.random(80) < 0.75]
                add(day + later, np.concatenate([kept, template[: 40 + copy * 30] if story == 0 else []]))
            if story == 1 and day >= 5:  # a follow-up: half the old story, half new facts
                add(day + 4, np.concatenate([own[:40], rng.choice(10 ** 5, 40, replace=False) + 9 * 10 ** 8]))
        add(day, rng.choice(10 ** 9, 5, replace=False))  # too short to have a sketch
    for k in range(6):
        add(grouping.NO_DAY, np.concatenate([np.arange(7 * 10 ** 8, 7 * 10 ** 8 + 60), [8 * 10 ** 8 + k]]))
    order = rng.permutation(len(members))
    return [members[i] for i in order]


@pytest.mark.parametrize("block", [1, 13, 50, 10 ** 9])
def test_windows_give_the_stories_of_the_whole_corpus(tmp_path: Path, block: int) -> None:
    members = newsroom(seed=11)
    expected_ids, expected_edges, expected_common = whole_corpus(members)
    ids, edges, common = windowed(members, tmp_path, block=block)
    assert edges == expected_edges
    assert common.tolist() == expected_common.tolist()
    assert ids == expected_ids
    assert len(set(ids)) < len(members) - 100  # many stories of several reports: the check can fail
    assert len(common) >= 40  # the bulletin template is common
    assert not any(tmp_path.glob("*.u64"))  # the spilled pairs are removed


def test_a_story_that_straddles_a_window_edge_stays_whole(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    story = rng.choice(10 ** 5, 90, replace=False)
    members = [grouping.Member(f"a{day}", day, grouping.sketched(np.unique(
        np.concatenate([story[rng.random(90) < 0.85], [10 ** 7 + day]]).astype(np.uint32)))) for day in (9, 10, 11)]
    filler = [grouping.Member(f"f{k}", day, grouping.sketched(np.unique(rng.choice(10 ** 9, 60).astype(np.uint32))))
              for k, day in enumerate(range(0, 21))]
    members = filler[:10] + members + filler[10:]
    blocks = story_windows.blocks(np.array([m.day for m in members]), 11)
    assert any(first == 10 or first == 11 for first, _ in blocks)  # a window edge cuts the story's days
    ids, edges, _ = windowed(members, tmp_path, block=11)
    assert ids[10] == ids[11] == ids[12] == "a9"
    assert (ids, edges) == whole_corpus(members)[:2]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10 ** 6), days=st.integers(1, 12), per_day=st.integers(1, 4), block=st.integers(1, 40))
def test_any_cut_into_windows_gives_the_same_grouping(tmp_path_factory, seed: int, days: int, per_day: int,
                                                      block: int) -> None:
    members = newsroom(seed, days, per_day)
    assert windowed(members, tmp_path_factory.mktemp("spill"), block=block)[:2] == whole_corpus(members)[:2]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2 ** 32 - 1), st.integers(0, 30)), max_size=300),
       st.integers(1, 9), st.integers(1, 50))
def test_day_counts_spilled_to_buckets_equal_one_count(tmp_path_factory, pairs, buckets: int, cut: int) -> None:
    values = np.array([v for v, _ in pairs] + [7] * 9, dtype=np.uint32)  # 7: seen on days 0–8
    days = np.array([d for _, d in pairs] + list(range(9)), dtype=np.uint64)
    counter = DayCounter(tmp_path_factory.mktemp("days"), "values", buckets)
    for start in range(0, len(values), cut):  # added in chunks: a value's days split across them
        counter.add(values[start:start + cut], days[start:start + cut])
    found = counter.common()
    assert found.tolist() == grouping.common_in(values.astype(np.uint64), days).tolist()
    assert 7 in found.tolist()


def test_joining_each_component_alone_equals_joining_all_links_at_once() -> None:
    members = newsroom(seed=23, days=30, per_day=8)
    _, edges, _ = whole_corpus(members)
    days = np.array([m.day for m in members], dtype=np.int64)
    at_once = np.arange(len(members))
    for story in grouping.joined(edges, days, lambda p: members[p].id):  # every link in one pass
        at_once[story] = min(story, key=lambda p: (members[p].day, members[p].id))
    pairs = np.array([(i, j) for i, j, _ in edges], dtype=np.int64)
    weights = np.array([w for _, _, w in edges])
    by_component = grouping.story_roots(days, pairs, weights, lambda p: members[p].id)
    assert by_component.tolist() == at_once.tolist()
    assert (by_component != np.arange(len(members))).sum() > 100
