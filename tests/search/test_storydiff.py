"""The sentence comparison behind the article page's "what this report adds or lacks": examples
from the bundled corpus's wire copies, and properties over generated Arabic texts."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from search.storydiff import compare, marked, numbers, sentences

WORDS = ["قصف", "الجيش", "مدينة", "غزة", "صنعاء", "قتلى", "جرحى", "أعلن", "مصدر", "طبي", "الحوثيين", "قوات",
         "٣", "15", "2015", "أكثر", "من", "وفق", "الأمم", "المتحدة", "حصيلة", "جديدة", "بين", "المدنيين"]


def corpus(corpus_dir: Path) -> dict[str, dict]:
    articles = {}
    for path in corpus_dir.glob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                article = json.loads(line)
                articles[article["id"]] = article
    return articles


def test_a_rewrite_with_a_new_toll(corpus_dir: Path) -> None:
    articles = corpus(corpus_dir)
    earliest = articles["al-manara-20161009-sanaa-funeral-hall-toll"]["content"]
    report = articles["wadi-news-20161009-sanaa-funeral-hall-strike"]["content"]
    found = compare(earliest, report)
    assert [c.text for c in found.added] == [s for s in sentences(report) if "شاهد" in s]
    assert [c.text for c in found.missing] == [s for s in sentences(earliest) if "أدوية الحروق" in s]
    (changed,) = found.changed
    assert [s.text for s in changed.segments if s.mark == "number"] == ["140", "500"]
    assert [s.text for s in changed.other if s.mark == "number"] == ["155", "525"]
    assert "2015" not in [s.text for s in changed.segments if s.mark]  # the same in both
    assert any("الأمم المتحدة" in s.text for s in changed.segments if s.mark == "word")
    assert found.same == len(sentences(report)) - 2


def test_a_verbatim_copy_differs_in_nothing(corpus_dir: Path) -> None:
    articles = corpus(corpus_dir)
    text = articles["wadi-news-20161009-sanaa-funeral-hall-strike"]["content"]
    assert not compare(text, text)
    assert compare(text, text).same == len(sentences(text))


def test_reordered_paragraphs_are_not_differences() -> None:
    first = "قصف الجيش مدينة غزة. أعلن مصدر طبي مقتل 15.\n\nوقالت الأمم المتحدة إن الحصيلة سترتفع."
    second = "وقالت الأمم المتحدة إن الحصيلة سترتفع.\n\nقصف الجيش مدينة غزة. أعلن مصدر طبي مقتل 15."
    assert not compare(first, second)


def test_sentences_are_not_cut_inside_numbers() -> None:
    text = "بلغت التعويضات 375.526.840 ريالاً. وقال المسؤول إن النسبة 2.5 بالمئة!\nوانتهى الاجتماع"
    assert sentences(text) == ["بلغت التعويضات 375.526.840 ريالاً.", "وقال المسؤول إن النسبة 2.5 بالمئة!",
                               "وانتهى الاجتماع"]
    found = compare("بلغت التعويضات 375.526.840 ريالاً.", "بلغت التعويضات 375 ريالاً.")
    assert [s.text for s in found.changed[0].segments if s.mark == "number"] == ["375"]


def test_arabic_indic_digits_are_the_same_number() -> None:
    found = compare("أعلن مصدر طبي مقتل 15 شخصاً في المدينة.", "أعلن مصدر طبي مقتل ١٥ شخصاً في المدينة.")
    assert not found.changed and not found.added and not found.missing
    assert numbers("قتل ١٥ و2,5") == ["15", "2,5"]


sentence_text = st.lists(st.sampled_from(WORDS), min_size=2, max_size=12).map(lambda w: " ".join(w) + ".")
texts = st.lists(sentence_text, min_size=0, max_size=8)


@settings(max_examples=200, deadline=None)
@given(base=texts, report=texts)
def test_every_sentence_is_accounted_for_once(base: list[str], report: list[str]) -> None:
    found = compare(" ".join(base), " ".join(report))
    assert found.same + len(found.added) + len(found.changed) == len(sentences(" ".join(report)))
    assert found.same + len(found.missing) + len(found.changed) == len(sentences(" ".join(base)))


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_a_text_against_itself_has_no_differences(text: list[str]) -> None:
    assert not compare(" ".join(text), " ".join(text))


@settings(max_examples=200, deadline=None)
@given(base=texts, extra=sentence_text.map(lambda s: "وأضاف شاهد عيان " + s))
def test_an_added_sentence_is_reported_added(base: list[str], extra: str) -> None:
    found = compare(" ".join(base), " ".join(base + [extra]))
    assert [c.text for c in found.added] == [extra] and not found.missing and not found.changed
    back = compare(" ".join(base + [extra]), " ".join(base))
    assert [c.text for c in back.missing] == [extra] and not back.added


@settings(max_examples=300, deadline=None)
@given(sentence=sentence_text, other=sentence_text)
def test_segments_rebuild_the_sentence_and_mark_only_numbers_the_other_lacks(sentence: str, other: str) -> None:
    segments = marked(sentence, other)
    assert "".join(s.text for s in segments) == sentence
    assert all(s.text for s in segments)
    flagged = [n for s in segments if s.mark == "number" for n in numbers(s.text)]
    for value in set(flagged):  # a number is flagged at most as often as OTHER gives it fewer times
        assert flagged.count(value) <= numbers(sentence).count(value) - numbers(other).count(value)
    if sorted(numbers(sentence)) == sorted(numbers(other)):
        assert not flagged
    if sentence == other:
        assert all(not s.mark for s in segments)
