"""Spelling-variant folding: loanwords and names that normalization cannot join.

The table maps a variant stem to its canonical stem (`اميرك` → `امريك`); the exact view
folds the same stem inside the whole word, so `الأميركية` and `الأمريكية` index alike in
both views while keeping their suffixes apart.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .normalize import normalize


@lru_cache(maxsize=1)
def variant_table() -> dict[str, str]:
    """variant → canonical, both normalized; read once from data/variants.tsv."""
    table: dict[str, str] = {}
    text = resources.files(__package__).joinpath("data/variants.tsv").read_text("utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise ValueError(f"variants.tsv:{number}: expected 'variant<TAB>canonical'")
        variant, canonical = (normalize(p.strip()) for p in parts)
        table[variant] = canonical
    return table


def fold(stem: str) -> str:
    """The canonical stem for a variant stem; others unchanged."""
    return variant_table().get(stem, stem)
