"""The event finder takes a word's stem from the analyzer's per-surface cache when it can; it must
be the very stem light_stem() gives, or a trigger listed in the lexicon would stop matching."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import light_stem, normalize
from indexer.events.lexicon import stem

ARABIC_WORDS = st.text(alphabet=st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةىؤئـ"), min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(ARABIC_WORDS)
def test_the_cached_stem_is_light_stem(word: str) -> None:
    norm = normalize(word)
    assert stem(norm) == (light_stem(norm) if norm else norm)


def test_known_words_and_written_together_names() -> None:
    for word in ("بالغارات", "وقصفت", "عبدربه", "عبدالعزيز", "2015", "الحوثيين", "فأعلنت"):
        norm = normalize(word)
        assert stem(norm) == light_stem(norm)
