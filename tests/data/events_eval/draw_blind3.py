"""Draw the candidates of the third held-out part (blind3) of the events labels.

Run once by hand, before any rule change of that session:
    python tests/data/events_eval/draw_blind3.py > candidates.txt
Same pools as blind2 (`draw_blind2.pools`), every article labelled before it excluded (tuned, blind,
blind2), another fixed seed. Prints URLs only (the text stays in ../shared).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from draw_blind2 import draw  # noqa: E402


def main() -> None:
    draw(1103, ("blind3",))


if __name__ == "__main__":
    main()
