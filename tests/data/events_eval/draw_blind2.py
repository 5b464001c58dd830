"""Draw the candidates of the second blind part (blind2) of the events labels.

Run once by hand, before any rule change of that session:
    python tests/data/events_eval/draw_blind2.py > candidates.txt
Prints URLs only (the text stays in ../shared). Fixed seed, so the draw can be repeated.
"""

from __future__ import annotations

import json
import os
import random
import re
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
VIOLENCE = re.compile("غار|قصف|اشتباك|مقتل|قتلى|قتيل|تفجير|انفجار|هجوم|مسلح|اختطاف|خطف|صاروخ|صواريخ"
                      "|قذائف|قذيفة|مفخخ|ناسف|انتحاري|مظاهر|احتجاج|معارك|اعتقال|استشهاد|شهداء")
CASUALTY = re.compile("حادث|سيول|غرق|حريق|وفاة|وفيات|إصابة|إصابات|مصرع|انقلاب|تصادم|مرض|كورونا|اللاعب|مصاب")
CONFLICT_IN_TEXT = re.compile("غار|قصف|اشتباك|تفجير|مسلح|صاروخ|صواريخ|قذائف|مفخخ|ناسف|انتحاري|إرهاب|الحوثي|داعش|معارك")


def labelled_urls(drawn_later: tuple[str, ...] = ()) -> set[str]:
    """URLs already labelled when a part was drawn: every label but those of DRAWN_LATER parts."""
    labels = [json.loads(line) for line in
              (REPO / "tests/data/events_eval/labels.jsonl").read_text("utf-8").splitlines() if line.strip()]
    return {x.get("url") for x in labels if x.get("part") not in drawn_later}


def pools(labelled: set[str]) -> tuple[list[str], list[str]]:
    """(violence-titled, casualty-titled and quiet) URLs of 300–1400-character articles not labelled."""
    conflict, quiet = [], []
    for path in sorted((SHARED / "corpora" / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for a in json.loads(archive.read(name)):
                    title, content = a.get("title") or "", a.get("content") or ""
                    if a.get("url") in labelled or not 300 <= len(content) <= 1400:
                        continue
                    if VIOLENCE.search(title):
                        conflict.append(a["url"])
                    elif CASUALTY.search(title) and not CONFLICT_IN_TEXT.search(content):
                        quiet.append(a["url"])
    return sorted(set(conflict)), sorted(set(quiet))


def draw(seed: int, drawn_later: tuple[str, ...]) -> None:
    """Print 40 violence-pool and 16 quiet-pool candidates, fixed SEED."""
    conflict, quiet = pools(labelled_urls(drawn_later))
    rng = random.Random(seed)
    for url in rng.sample(conflict, 40):
        print("conflict", url)
    for url in rng.sample(quiet, 16):
        print("non_conflict", url)


def main() -> None:
    draw(1102, ("blind2", "blind3"))


if __name__ == "__main__":
    main()
