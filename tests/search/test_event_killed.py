"""Killed per period: a real index of three short reports (our own sentences) whose histogram
figures are worked out by hand.

The reports (what the extractor finds in them is checked first, as the premise):
- k-a, published 10 March: headline `مقتل ثمانية` (8), an air strike killing 5 on 8 March told
  twice in the body, shelling killing 3 on 9 March. Total 8.
- k-b, published 9 March: clashes killing 10 near Aleppo and 2 in Idlib city, both 9 March. Total 12.
- k-c, published 9 March: headline `مقتل سبعة` (7) over a suicide bombing whose body says 4, 9 March.
By event day: 8 March 5 (k-a's strike); 9 March 3 + 12 + 7 = 22 (k-c's headline adds the 3 its body
does not state). By publication day: 9 March 12 + 7 = 19; 10 March 8. Before the fix k-a's total
counted in each of its two event days (16 for 8 dead). The per-report rule on plain event lists is
tested in tests/indexer/test_events_killed_days.py.
"""

from __future__ import annotations

import json

import pytest

from search.engine import Engine

from .conftest import build

REPORTS = [
    {"id": "k-a", "url": "https://example.test/k-a", "source": "وكالة الرصد التجريبية", "published": "2026-03-10",
     "title": "مقتل ثمانية في غارة جوية وقصف مدفعي بدير الزور",
     "content": "قتل خمسة جنود في غارة جوية على مدينة الميادين يوم 8 مارس 2026. وأكدت المصادر أن الغارة "
                "الجوية على الميادين أسفرت عن مقتل خمسة جنود. وفي 9 مارس 2026 قتل ثلاثة مدنيين في قصف "
                "مدفعي على مدينة البوكمال."},
    {"id": "k-b", "url": "https://example.test/k-b", "source": "وكالة الرصد التجريبية", "published": "2026-03-09",
     "title": "اشتباكات عنيفة في شمال سوريا",
     "content": "قتل عشرة مسلحين في اشتباكات مع القوات الحكومية في ريف حلب يوم 9 مارس 2026. كما قتل "
                "مسلحان اثنان في اشتباكات أخرى في مدينة إدلب."},
    {"id": "k-c", "url": "https://example.test/k-c", "source": "صحيفة المرصد التجريبية", "published": "2026-03-09",
     "title": "مقتل سبعة في هجوم انتحاري ببغداد",
     "content": "فجر انتحاري نفسه في سوق شعبي ببغداد يوم 9 مارس 2026 ما أدى إلى مقتل أربعة أشخاص وإصابة "
                "عشرة آخرين."},
]
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("killed-reports")
    for report in REPORTS:
        (folder / f"{report['id']}.json").write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    home = build(folder, tmp_path_factory.mktemp("killed-index"))
    with Engine(home) as opened:
        yield opened


def killed_per_day(engine: Engine, **params) -> dict[str, int]:
    buckets = engine.search({"q": "", **params})["facets"]["date"]
    assert all(b["bucket"] == "day" for b in buckets)
    return {b["value"]: b["killed"] for b in buckets if b["killed"]}


def test_premise_the_extractor_finds_the_events_worked_out_by_hand(engine):
    found = {}
    for report in REPORTS:
        article = engine.article(report["id"])
        found[report["id"]] = (article["killed"], sorted((e["date"], e["killed"]) for e in article["events"]
                                                         if e["killed"] is not None))
    assert found == {
        "k-a": (8, [("2026-03-08", 5), ("2026-03-09", 3), ("2026-03-10", 8)]),
        "k-b": (12, [("2026-03-09", 2), ("2026-03-09", 10)]),
        "k-c": (7, [("2026-03-09", 4), ("2026-03-09", 7)]),
    }


def test_by_event_day_each_death_counts_once_on_its_events_day(engine):
    assert killed_per_day(engine, date_field="event", **MARCH) == {"2026-03-08": 5, "2026-03-09": 22}


def test_by_publication_day_each_report_counts_its_total(engine):
    assert killed_per_day(engine, date_field="published", **MARCH) == {"2026-03-09": 19, "2026-03-10": 8}


def test_the_histogram_follows_the_other_filters(engine):
    assert killed_per_day(engine, date_field="event", event=["air_drone_strike"], **MARCH) == {
        "2026-03-08": 5, "2026-03-09": 3}
    assert killed_per_day(engine, date_field="event", event=["suicide_bomb"], **MARCH) == {"2026-03-09": 7}
    assert killed_per_day(engine, date_field="event", **{"from": "2026-03-09", "to": "2026-03-09"}) == {
        "2026-03-09": 22}


def test_without_a_range_the_histogram_spans_every_counted_day(engine):
    assert sum(killed_per_day(engine, date_field="event").values()) == 27
    assert sum(killed_per_day(engine, date_field="published").values()) == 27


def test_an_update_brings_its_reports_dead_and_takes_a_replaced_reports_away(tmp_path):
    """The rows live in the segments' columns: an update's new segment adds its reports' rows, and a
    report re-issued under its id counts with its new events only."""
    from indexer.build import update_index

    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for report in REPORTS[:2]:
        (first / f"{report['id']}.json").write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    home = build(first, tmp_path / "home")
    corrected = dict(REPORTS[1], content=REPORTS[1]["content"].replace("قتل عشرة مسلحين", "قتل ستة مسلحين"))
    for report in (REPORTS[2], corrected):
        (second / f"{report['id']}.json").write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    with Engine(home) as before:
        assert killed_per_day(before, date_field="event", **MARCH) == {"2026-03-08": 5, "2026-03-09": 15}
    update_index([second], home)
    with Engine(home) as after:
        assert killed_per_day(after, date_field="event", **MARCH) == {"2026-03-08": 5, "2026-03-09": 18}
