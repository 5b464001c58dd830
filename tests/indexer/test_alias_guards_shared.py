"""Ambiguous names on a real index of SaudiNewsNet 2015-08-01..03 (issue 15).

`أمانة العاصمة` is Mecca's (or Riyadh's) municipality in the Saudi press and Sanaa's only in a
Yemen story: a search for `صنعاء` must not count Saudi municipal news in the Sanaa facet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.engine import Engine

pytestmark = pytest.mark.shared
DAYS = ("2015-08-01", "2015-08-02", "2015-08-03")
YEMEN = re.compile(r"صنعاء|اليمن|يمني|الحوثي")


@pytest.fixture(scope="module")
def three_days(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from indexer.build import build_index

    home = tmp_path_factory.mktemp("snn-3-days")
    zips = [shared_dir / "corpora" / "saudinewsnet" / f"{day}.zip" for day in DAYS]
    build_index(zips, home, workers=1, quarantine=None, progress=False)
    return home


def every_hit(engine: Engine, **params) -> list[dict]:
    hits, page = [], 1
    while True:
        result = engine.search({**params, "per_page": 100, "page": page})
        hits += result["hits"]
        if len(hits) >= result["total"] or not result["hits"]:
            return hits
        page += 1


def test_municipal_news_leaves_the_sanaa_facet(three_days: Path):
    with Engine(three_days) as engine:
        sanaa = every_hit(engine, q="صنعاء", place=["ye-sanaa"])
        articles = {h["id"]: engine.article(h["id"]) for h in sanaa}
        municipal = [i for i, a in articles.items()
                     if "العاصمة المقدسة" in a["content"] and not YEMEN.search(a["title"] + a["content"])]
        assert sanaa and municipal == []
        mecca = every_hit(engine, q='"أمانة العاصمة المقدسة"')
        assert mecca, "the three days hold Mecca municipality news"
        for hit in mecca:
            ids = {p["id"] for p in hit["places"]}
            assert "sa-mecca" in ids
            text = articles.get(hit["id"]) or engine.article(hit["id"])
            if not YEMEN.search(text["title"] + text["content"]):
                assert "ye-sanaa" not in ids
