"""Whoosh adapters for the two text views of title and body.

One class, two views: `exact` (normalized, variant-folded, unstemmed: phrases, precision)
and `stem` (recall). Both views of one text are analyzed once: the last text's terms are
kept, since Whoosh asks for the same body twice in a row.
"""

from __future__ import annotations

from typing import Any, Iterator

from whoosh.analysis import Analyzer, Token

from .pipeline import analyzed_terms

VIEWS = ("exact", "stem")


class MarsadAnalyzer(Analyzer):
    def __init__(self, view: str = "exact") -> None:
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}")
        self.view = view
        self._last: tuple[str, list] | None = None

    def __getstate__(self) -> dict:
        return {"view": self.view}

    def __setstate__(self, state: dict) -> None:
        self.view = state["view"]
        self._last = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MarsadAnalyzer) and other.view == self.view

    def __repr__(self) -> str:
        return f"MarsadAnalyzer({self.view!r})"

    def terms(self, text: str) -> list[tuple[str, str, int, int]]:
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        terms = analyzed_terms(text)
        self._last = (text, terms)
        return terms

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        index = 0 if self.view == "exact" else 1
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if not tokenize:
            from .pipeline import analyze_word

            terms = analyze_word(value)
            if terms is not None:
                token.text = terms[index]
                if positions:
                    token.pos = start_pos
                if chars:
                    token.startchar, token.endchar = start_char, start_char + len(value)
                yield token
            return
        for pos, term in enumerate(self.terms(value), start_pos):
            token.text = term[index]
            if keeporiginal:
                token.original = value[term[2]:term[3]]
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + term[2]
                token.endchar = start_char + term[3]
            yield token


def exact_analyzer() -> MarsadAnalyzer:
    return MarsadAnalyzer("exact")


def stem_analyzer() -> MarsadAnalyzer:
    return MarsadAnalyzer("stem")
