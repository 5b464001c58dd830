"""Mistakes the team found in corpus/ and their rules: an accidental explosion is no conflict
event, a drone (`مسيّرة`) is no march, and the figures of a large blast are read as written."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

PUBLISHED = dt.date(2020, 8, 5)
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def corpus_article(ident: str) -> dict:
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip() and json.loads(line)["id"] == ident:
                return json.loads(line)
    raise LookupError(ident)


def extract_corpus(extractor, ident: str) -> dict:
    article = corpus_article(ident)
    return extractor.extract(article["title"], article["content"], dt.date.fromisoformat(article["published"][:10]))


def test_the_beirut_port_explosion_is_no_conflict_event(extractor) -> None:
    extraction = extract_corpus(extractor, "al-manara-20200805-beirut-port-explosion")
    assert extraction["events"] == []
    assert extraction["killed"] is None and extraction["injured"] is None


def test_an_explosion_after_a_fire_in_a_store_is_an_accident(extractor) -> None:
    title = "انفجار في مستودع بالميناء"
    text = ("دوّى انفجار كبير في مستودع بالميناء ظهر اليوم، وأوقع خمسة قتلى وعشرين جريحاً.\n\n"
            "وقالت السلطات إن الانفجار وقع بعد حريق شبّ في مواد كيميائية مخزنة منذ سنوات.")
    assert extractor.extract(title, text, PUBLISHED)["events"] == []


def test_a_blast_with_an_armed_actor_beside_an_accident_is_still_an_event(extractor) -> None:
    text = ("قتل ثلاثة أشخاص بانفجار داخل منزل في البلدة.\n\n"
            "وقال شهود إن الحادثة نتجت عن انفجار قذيفة من مخلفات الجيش في محيط المنزل.")
    assert extractor.extract("", text, PUBLISHED)["events"]


def test_a_large_blast_keeps_its_figures_as_written(extractor) -> None:
    text = "هزّ انفجار سيارة مفخخة وسط المدينة، وأوقع أكثر من مئة قتيل ونحو أربعة آلاف جريح."
    extraction = extractor.extract("", text, PUBLISHED)
    [event] = extraction["events"]
    assert (event["killed"], event["injured"]) == (100, 4000)
    assert (extraction["killed"], extraction["injured"]) == (100, 4000)


@pytest.mark.parametrize("text", [
    "تعرضت القاعدة لهجوم بمسيّرات فجر اليوم، من دون إصابات.",
    "أطلقت الجماعة مسيرات وصواريخ باتجاه المدينة الساحلية.",
    "وبعد ساعات أصابت المسيّرة منشأة صيانة داخل القاعدة، ما أدى إلى مقتل متعاقد.",
])
def test_a_drone_is_an_air_or_drone_strike_not_a_march(extractor, text: str) -> None:
    subtypes = {e["subtype"] for e in extractor.extract("", text, PUBLISHED)["events"]}
    assert "air_drone_strike" in subtypes
    assert not subtypes & {"peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"}


def test_a_march_is_still_a_protest(extractor) -> None:
    text = "خرجت مسيرات احتجاجية في شوارع المدينة تطالب بالإفراج عن المعتقلين."
    assert {e["subtype"] for e in extractor.extract("", text, PUBLISHED)["events"]} == {"peaceful_protest"}


def test_no_drone_line_of_corpus_is_coded_as_a_protest(extractor) -> None:
    protests = {"peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"}
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            article = json.loads(line)
            extraction = extract_corpus(extractor, article["id"])
            for event in extraction["events"]:
                if event["subtype"] in protests:
                    assert "مسيّر" not in event["text"], (article["id"], event["text"])


def test_an_earlier_attack_named_as_the_cause_is_not_an_event_of_the_article(extractor) -> None:
    text = ("قتل جنديان وأصيب أربعة آخرون في انفجار سيارة مفخخة استهدف قافلة عسكرية مساء السبت.\n\n"
            "وقالت الجماعة إن العملية رد على الهجوم الانتحاري الذي استهدف ناشطين في بلدة حدودية وأسفر عن سقوط 33 قتيلا.")
    extraction = extractor.extract("", text, PUBLISHED)
    assert {e["subtype"] for e in extraction["events"]} == {"remote_explosive_landmine_ied"}
    assert (extraction["killed"], extraction["injured"]) == (2, 4)


def test_a_cause_the_article_also_tells_as_news_stays_one_event(extractor) -> None:
    text = ("هاجمت طائرة مسيرة قاعدة عسكرية قرب المدينة، ما أسفر عن مقتل متعاقد.\n\n"
            "وقالت الوزارة إن تحركها جاء رداً على هجوم بطائرة مسيرة استهدف القاعدة، ما أدى إلى مقتل متعاقد وإصابة خمسة عسكريين.")
    drones = [e for e in extractor.extract("", text, PUBLISHED)["events"] if e["subtype"] == "air_drone_strike"]
    assert [(e["killed"], e["injured"]) for e in drones] == [(1, 5)]


def test_an_attack_by_a_warplane_in_a_battle_sentence_is_also_an_air_strike(extractor) -> None:
    text = "واندلع القتال أمس في البلدة بين القوات والمسلحين، وهاجمت طائرة حربية مواقع المسلحين."
    subtypes = {e["subtype"] for e in extractor.extract("", text, PUBLISHED)["events"]}
    assert subtypes == {"armed_clash", "air_drone_strike"}
