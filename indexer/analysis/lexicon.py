"""The analyzer's word lists, read once from data/ (all folded with normalize()).

- protected.txt: words whose first letter (و ف ب ل ك) is a root letter, not a clitic
  (`وزير`, `بيان`, `لجنه`, `بغداد`): the clitic splitter leaves them whole.
- names.txt: names the stemmer keeps whole (`ايران`, `لبنان`, `سوريا`, `عدنان`), because a
  suffix rule would cut them into another word (`لبن`, `سوري`, `عدن`). Names are protected too.
- alef_lam.txt: words whose bare initial `ال` is part of the word, written without its hamza
  (`المانيا` = `ألمانيا`, `الاف` = `آلاف`) or a form VIII noun (`التزام`): not the article.
- compounds.tsv: written-together names split into their words (`عبدربه` → `عبد ربه`).
- variants.tsv: spelling variants folded to one canonical spelling (see variants.py).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .normalize import normalize


def data_lines(name: str) -> list[tuple[int, str]]:
    """(line number, text) of a data file, comments (`#` …) and blank lines dropped."""
    text = resources.files(__package__).joinpath("data", name).read_text("utf-8")
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append((number, line))
    return out


def _words(name: str) -> frozenset[str]:
    words = set()
    for number, line in data_lines(name):
        word = normalize(line)
        if not word or " " in word:
            raise ValueError(f"{name}:{number}: expected one word, got {line!r}")
        words.add(word)
    return frozenset(words)


@lru_cache(maxsize=1)
def names() -> frozenset[str]:
    return _words("names.txt")


@lru_cache(maxsize=1)
def protected_words() -> frozenset[str]:
    """Words whose initial و/ف/ب/ل/ك is a root letter (names included, also without article)."""
    listed = names()
    return _words("protected.txt") | listed | {n[2:] for n in listed if n.startswith("ال") and len(n) > 4}


@lru_cache(maxsize=1)
def alef_lam_words() -> frozenset[str]:
    """Words whose initial bare `ال` is not the article (`المانيا`, `الكترونيه`, `التزام`)."""
    return _words("alef_lam.txt")


@lru_cache(maxsize=1)
def compounds() -> dict[str, tuple[str, ...]]:
    """Written-together form → its words, e.g. `عبدربه` → (`عبد`, `ربه`)."""
    table: dict[str, tuple[str, ...]] = {}
    for number, line in data_lines("compounds.tsv"):
        parts = line.split("\t")
        if len(parts) != 2:
            raise ValueError(f"compounds.tsv:{number}: expected 'joined<TAB>separate words'")
        joined, separate = normalize(parts[0].strip()), tuple(normalize(parts[1]).split())
        if "".join(separate) != joined or len(separate) < 2:
            raise ValueError(f"compounds.tsv:{number}: the words must spell the joined form")
        table[joined] = separate
    return table
