"""Spelling-variant folding: loanwords and names that normalization cannot join.

data/variants.tsv has one pair per line, `variant<TAB>canonical[<TAB>bare]`, both written as a
normalized word without clitics or article:
- a whole-word pair (`ترمب	ترامب`) folds that word, with or without the article;
- a pair ending in `*` (`اميرك*	امريك*`) folds every word that starts with the variant, so one
  line covers all inflections (`اميركي`, `الاميركيون`, `اميركا`);
- `bare` limits a pair to words without the article: `سوريه` is the country only when bare
  (`السورية` is the adjective "Syrian"), so `سورية	سوريا	bare`.
The folded word feeds both views, so `الأميركية` and `الأمريكية` index alike in both.
Every pair is checked against SaudiNewsNet counts by tests/bench/check_variants.py.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .lexicon import data_lines
from .normalize import normalize


class VariantTable(NamedTuple):
    whole: dict[str, tuple[str, bool]]
    prefixes: dict[str, str]
    prefix_lengths: tuple[int, ...]


@lru_cache(maxsize=1)
def variant_table() -> VariantTable:
    """The parsed table; a malformed line is an error naming the line."""
    whole: dict[str, tuple[str, bool]] = {}
    prefixes: dict[str, str] = {}
    for number, line in data_lines("variants.tsv"):
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] != "bare"):
            raise ValueError(f"variants.tsv:{number}: expected 'variant<TAB>canonical[<TAB>bare]'")
        variant, canonical = parts[0], parts[1]
        if variant.endswith("*") != canonical.endswith("*"):
            raise ValueError(f"variants.tsv:{number}: both sides end in '*' or neither does")
        if variant.endswith("*"):
            v, c = normalize(variant[:-1]), normalize(canonical[:-1])
            if not v or v in prefixes:
                raise ValueError(f"variants.tsv:{number}: empty or repeated prefix {variant!r}")
            prefixes[v] = c
        else:
            v, c = normalize(variant), normalize(canonical)
            if not v or v in whole or v == c:
                raise ValueError(f"variants.tsv:{number}: empty, repeated or identical pair {variant!r}")
            whole[v] = (c, len(parts) == 3)
    lengths = tuple(sorted({len(p) for p in prefixes}, reverse=True))
    return VariantTable(whole, prefixes, lengths)


def fold_body(body: str, definite: bool = False) -> str:
    """The canonical spelling of BODY (a normalized word without clitics or article)."""
    whole, prefixes, lengths = variant_table()
    hit = whole.get(body)
    if hit is not None and not (hit[1] and definite):
        return hit[0]
    size = len(body)
    for n in lengths:
        if n <= size:
            canonical = prefixes.get(body[:n])
            if canonical is not None:
                return canonical + body[n:]
    return body


def fold(word: str) -> str:
    """The canonical spelling of a normalized word, keeping its article; others unchanged."""
    if word.startswith("ال") and len(word) > 3:
        folded = fold_body(word[2:], definite=True)
        if folded != word[2:]:
            return "ال" + folded
    return fold_body(word)
