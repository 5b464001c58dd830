"""The seed article: the drone strike near Hasakah, the American air strikes and the rocket
attacks in Deir ez-Zor, each with its place, date and figures."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.shared
PUBLISHED = dt.date(2023, 3, 25)  # a Saturday: `ليلة الجمعة-السبت` is the night just gone


@pytest.fixture(scope="module")
def seed_extraction(seed_text: str) -> dict:
    from indexer.entities.extract import get_extractor

    title, _, content = seed_text.partition("\n\n")
    return get_extractor().extract(title, content, PUBLISHED)


def events_of(extraction: dict, subtype: str, place: str) -> list[dict]:
    return [e for e in extraction["events"] if e["subtype"] == subtype and place in e["places"]]


def test_the_drone_strike_near_hasakah_killed_one_contractor_and_injured_six(seed_extraction: dict) -> None:
    [drone] = events_of(seed_extraction, "air_drone_strike", "sy-hasakah")
    assert drone["type"] == "explosions_remote_violence"
    assert (drone["killed"], drone["injured"]) == (1, 6)
    assert drone["date"] is not None and "2023-03-23" <= drone["date"] <= "2023-03-25"


def test_the_american_air_strikes_in_deir_ez_zor(seed_extraction: dict) -> None:
    strikes = events_of(seed_extraction, "air_drone_strike", "sy-deir-ez-zor")
    assert strikes
    assert any("دير الزور" in e["text"] and e["date"] for e in strikes)


def test_the_rocket_attacks_on_the_bases_in_deir_ez_zor(seed_extraction: dict) -> None:
    attacks = events_of(seed_extraction, "shelling_artillery_missile_attack", "sy-deir-ez-zor")
    assert attacks and all(e["date"] for e in attacks)
    assert any("القواعد" in e["text"] for e in attacks)


def test_each_event_quotes_its_sentence_at_its_offsets(seed_extraction: dict, seed_text: str) -> None:
    title, _, content = seed_text.partition("\n\n")
    text = f"{title}\n\n{content}"
    for event in seed_extraction["events"]:
        assert text[event["start"]:event["end"]] == event["text"]
        assert event["label_ar"] and event["label_en"]


def test_the_article_totals_count_the_contractor_once(seed_extraction: dict) -> None:
    assert seed_extraction["killed"] == 1
    assert seed_extraction["injured"] >= 6


def test_index_fields_list_every_sub_event_and_its_type(seed_extraction: dict) -> None:
    from indexer.entities.extract import get_extractor

    kinds = get_extractor().index_fields(seed_extraction)["events"]
    assert {"air_drone_strike", "shelling_artillery_missile_attack", "explosions_remote_violence"} <= set(kinds)
    assert len(kinds) == len(set(kinds))
