"""Draw the candidates of the third held-out part (blind3) of the events labels.

Run once by hand, before any rule change of that session:
    python tests/data/events_eval/draw_blind3.py > candidates.txt
Same pools as blind2 (`draw_blind2.pools`), every article labelled so far excluded (tuned, blind,
blind2), another fixed seed. Prints URLs only (the text stays in ../shared).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from draw_blind2 import labelled_urls, pools  # noqa: E402


def main() -> None:
    conflict, quiet = pools(labelled_urls())
    rng = random.Random(1103)
    for url in rng.sample(conflict, 40):
        print("conflict", url)
    for url in rng.sample(quiet, 16):
        print("non_conflict", url)


if __name__ == "__main__":
    main()
