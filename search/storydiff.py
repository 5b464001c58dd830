"""What one report of a story adds or lacks compared with another (the story's earliest), by sentence.

Outlets that carry one wire reorder paragraphs, drop a sentence, add one of their own and
update a toll. So sentences are matched regardless of order: identical ones (after the
analyzer's spelling folding) pair off first; the rest pair greedily by word-sequence similarity
(difflib), and a pair above SIMILAR is one sentence that changed; what is left is added (this
report only) or missing (the earliest only). Inside a changed sentence the words that differ are
marked, and numbers the other report does not give (a different death toll) are marked apart.
Pure functions: the page renders the segments, the tests check them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from indexer.analysis import normalize

SIMILAR = 0.5
MAX_SENTENCES = 400  # a longer text is compared on its first sentences (the pairing is quadratic)
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\s*\n\s*")  # not inside 375.526.840 or 2.5
WORD = re.compile(r"\S+")
NUMBER = re.compile(r"[0-9٠-٩۰-۹]+(?:[.,٫][0-9٠-٩۰-۹]+)*")


@dataclass(frozen=True)
class Segment:
    text: str
    mark: str = ""  # "" same in both, "word" differs, "number" a number the other report does not give


@dataclass(frozen=True)
class Change:
    kind: str  # "added" (this report only), "missing" (the earliest only), "changed"
    segments: tuple[Segment, ...]  # this report's sentence; the earliest's for "missing"
    other: tuple[Segment, ...] = ()  # for "changed": the earliest report's sentence

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass(frozen=True)
class Comparison:
    added: tuple[Change, ...]
    missing: tuple[Change, ...]
    changed: tuple[Change, ...]
    same: int  # sentences found in both

    def __bool__(self) -> bool:
        return bool(self.added or self.missing or self.changed)


def sentences(text: str) -> list[str]:
    """TEXT cut after . ! ? ؟ followed by a space, and at line ends; blank pieces dropped, the
    rest stripped."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()][:MAX_SENTENCES]


def words(sentence: str) -> list[str]:
    return [normalize(w.strip(".,،؛:!?؟\"'“”«»()[]-–—")) for w in WORD.findall(sentence)]


def numbers(text: str) -> list[str]:
    return [normalize(n).replace("٫", ".") for n in NUMBER.findall(text)]


def compare(earliest: str, report: str) -> Comparison:
    """The sentences REPORT adds to EARLIEST, those it lacks, and those it changes."""
    base, this = sentences(earliest), sentences(report)
    base_words, this_words = [words(s) for s in base], [words(s) for s in this]
    unmatched_base = list(range(len(base)))
    unmatched_this: list[int] = []
    by_key: dict[tuple[str, ...], list[int]] = {}
    for i, key in enumerate(base_words):
        by_key.setdefault(tuple(key), []).append(i)
    for j, key in enumerate(this_words):
        same = by_key.get(tuple(key))
        if same:
            unmatched_base.remove(same.pop(0))
        else:
            unmatched_this.append(j)
    same_count = len(this) - len(unmatched_this)
    pairs = []
    for j in unmatched_this:
        for i in unmatched_base:
            matcher = SequenceMatcher(None, base_words[i], this_words[j], autojunk=False)
            if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                ratio = matcher.ratio()
                if ratio >= SIMILAR:
                    pairs.append((-ratio, j, i))
    pairs.sort()
    paired_this: dict[int, int] = {}
    paired_base: set[int] = set()
    for _, j, i in pairs:
        if j not in paired_this and i not in paired_base:
            paired_this[j] = i
            paired_base.add(i)
    added = tuple(Change("added", (Segment(this[j]),)) for j in unmatched_this if j not in paired_this)
    missing = tuple(Change("missing", (Segment(base[i]),)) for i in unmatched_base if i not in paired_base)
    changed = tuple(Change("changed", marked(this[j], base[i]), marked(base[i], this[j]))
                    for j, i in sorted(paired_this.items()))
    return Comparison(added, missing, changed, same_count)


def marked(sentence: str, other: str) -> tuple[Segment, ...]:
    """SENTENCE cut into segments: words OTHER lacks are marked "word", and numbers OTHER does not
    give (as many times) "number"; the segments join back into SENTENCE exactly."""
    tokens = list(WORD.finditer(sentence))
    mine, theirs = [normalize(t.group()) for t in tokens], [normalize(t) for t in WORD.findall(other)]
    differs = [True] * len(tokens)
    for block in SequenceMatcher(None, mine, theirs, autojunk=False).get_matching_blocks():
        for k in range(block.a, block.a + block.size):
            differs[k] = False
    spare = Counter(numbers(other))
    out: list[Segment] = []
    cursor = 0
    for token, changed in zip(tokens, differs):
        if token.start() > cursor:
            _append(out, sentence[cursor:token.start()], "")
        cursor = token.end()
        if not changed:
            _append(out, token.group(), "")
            continue
        position = token.start()
        for found in NUMBER.finditer(token.group()):
            value = numbers(found.group())[0]
            start, end = token.start() + found.start(), token.start() + found.end()
            if spare[value] > 0:
                spare[value] -= 1
                continue
            _append(out, sentence[position:start], "word")
            _append(out, sentence[start:end], "number")
            position = end
        _append(out, sentence[position:token.end()], "word")
    if cursor < len(sentence):
        _append(out, sentence[cursor:], "")
    return tuple(_join_runs(out))


def _join_runs(segments: list[Segment]) -> list[Segment]:
    """Changed words separated only by spaces read as one changed run."""
    out: list[Segment] = []
    for k, segment in enumerate(segments):
        between = (not segment.mark and not segment.text.strip() and out and out[-1].mark == "word"
                   and k + 1 < len(segments) and segments[k + 1].mark == "word")
        _append(out, segment.text, "word" if between else segment.mark)
    return out


def _append(out: list[Segment], text: str, mark: str) -> None:
    if not text:
        return
    if out and out[-1].mark == mark:
        out[-1] = Segment(out[-1].text + text, mark)
    else:
        out.append(Segment(text, mark))
