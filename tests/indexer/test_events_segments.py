"""Sentence segmentation for events: `3.5` and `د. محمد` do not end a sentence, and the fast
regex (plain runs consumed at once) cuts exactly where the character-by-character rule does."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.events.segments import SENTENCE, sentences

BY_CHARACTER = re.compile(
    r"[^\s.!?؟؛]"
    r"(?:(?<=\d)\.(?=\d)|(?<=\s\w)\.(?=\s)|[^.!?؟؛\n])*"
    r"[.!?؟؛]*"
)


def test_decimals_and_abbreviations_do_not_end_a_sentence() -> None:
    text = "قال د. محمد إن 3.5 مليون نزحوا. ثم ماذا؟ لا شيء!\nسطر آخر"
    assert [text[a:b] for a, b in sentences(text)] == [
        "قال د. محمد إن 3.5 مليون نزحوا.", "ثم ماذا؟", "لا شيء!", "سطر آخر"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("قتل د 3.5.؟!؛\n ab")), max_size=80))
def test_the_fast_regex_cuts_where_the_character_rule_does(text: str) -> None:
    assert [m.span() for m in SENTENCE.finditer(text)] == [m.span() for m in BY_CHARACTER.finditer(text)]
