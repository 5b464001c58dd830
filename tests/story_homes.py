"""An index home of corpus/ with a hand-written stories.tsv, for the search and web tests of
stories (independent of how the indexer groups): the funeral-hall reports are one story, the
Ghwayran prison reports another, every other article is alone under an id of its own, one
article is left out of the file (so it is its own story, named by its id), and the file also
has a line for an article the index lacks and malformed lines."""

from __future__ import annotations

import shutil
from pathlib import Path

FUNERAL = ["wadi-news-20161009-sanaa-funeral-hall-strike", "al-manara-20161009-sanaa-funeral-hall-toll",
           "al-shurfa-20161010-sanaa-funeral-hall-strike"]
PRISON = ["sada-alfurat-20220124-ghwayran-prison-attack", "sahel-press-20220124-hasakah-prison-fighting"]
UNLISTED = "al-rasid-20171205-saleh-killed-sanaa"


def story_of(doc_id: str) -> str:
    if doc_id in FUNERAL:
        return "story-funeral"
    if doc_id in PRISON:
        return "story-prison"
    return doc_id if doc_id == UNLISTED else f"s-{doc_id}"


def generation_folder(home: Path) -> Path:
    return home / (home / "CURRENT").read_text().strip()


def hand_written_home(corpus_home: Path, home: Path) -> Path:
    """A copy of CORPUS_HOME at HOME whose live generation has the hand-written stories.tsv."""
    from whoosh.index import open_dir

    shutil.copytree(corpus_home, home, symlinks=True)
    folder = generation_folder(home)
    with open_dir(str(folder), indexname="MAIN").reader() as reader:
        ids = [fields["id"] for _, fields in reader.iter_docs()]
    lines = [f"{doc_id}\t{story_of(doc_id)}" for doc_id in ids if doc_id != UNLISTED]
    lines += ["not-in-this-index\tstory-funeral", "a line without a tab", "\t", ""]
    (folder / "stories.tsv").write_text("\n".join(lines), "utf-8")
    return home
