"""Facet counting over (document, value) pairs: every path (through the documents, over all
pairs, and as totals less the documents left out) gives the brute-force counts."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from search.columns import Pairs


def pairs_of(per_doc: list[list[int]], values: int) -> Pairs:
    docs = np.array([d for d, codes in enumerate(per_doc) for _ in codes], dtype=np.int64)
    codes = np.array([c for codes in per_doc for c in codes], dtype=np.int32)
    names = [f"v{i}" for i in range(values)]
    return Pairs(docs, codes, names, {n: i for i, n in enumerate(names)}, len(per_doc))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_counts_equal_brute_force_for_sparse_medium_and_dense_masks(data) -> None:
    values = data.draw(st.integers(1, 12))
    per_doc = data.draw(st.lists(st.lists(st.integers(0, values - 1), max_size=4, unique=True), min_size=1, max_size=120))
    share = data.draw(st.sampled_from([0.01, 0.1, 0.4, 0.6, 0.95, 1.0]))
    seed = data.draw(st.integers(0, 2**16))
    mask = np.random.default_rng(seed).random(len(per_doc)) < share
    pairs = pairs_of(per_doc, values)
    expected = np.zeros(values, dtype=np.int64)
    for doc, codes in enumerate(per_doc):
        if mask[doc]:
            for code in codes:
                expected[code] += 1
    assert pairs.counts(mask).tolist() == expected.tolist()


def test_documents_out_of_order_are_counted_alike() -> None:
    docs = np.array([3, 0, 2, 0, 1], dtype=np.int64)
    codes = np.array([1, 0, 1, 1, 0], dtype=np.int32)
    pairs = Pairs(docs, codes, ["a", "b"], {"a": 0, "b": 1}, 4)
    assert pairs.counts(np.array([True, False, True, True])).tolist() == [1, 3]
    assert pairs.counts(np.array([False, True, False, False])).tolist() == [1, 0]
    assert pairs.doc_frequency() == {"a": 2, "b": 3}
