"""The extractor on real data: the seed article, our own sentences, index fields, the snapshot."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from indexer.entities.extract import extract_document, get_extractor

SEED_PUBLISHED = dt.date(2023, 3, 25)  # a Saturday


@pytest.fixture(scope="module")
def seed(extractor, seed_text):
    title, _, body = seed_text.partition("\n")
    return extractor.extract(title, body, SEED_PUBLISHED)


def ids(items):
    return [x["id"] for x in items]


def by_id(items):
    return {x["id"]: x for x in items}


SEED_PLACES = {
    "sy": "سورية",
    "sy-deir-ez-zor": "دير الزور",
    "sy-conoco-field": "كونيكو",
    "sy-al-omar-field": "حقل العمر",
    "sy-green-village": "القاعدة الخضراء",
    "sy-hasakah": "الحسكة",
    "sy-al-bukamal": "البوكمال",
    "sy-al-mayadin": "الميادين",
    "us-washington": "واشنطن",
    "ca-ottawa": "أوتاوا",
    "ir-tehran": "طهران",
    "us": "الولايات المتحدة",
    "ir": "إيران",
    "ca": "الكندية",
}
SEED_ACTORS = {
    "us-armed-forces": "الجيش الأمريكي",
    "us-dod": "البنتاغون",
    "irgc": "الحرس الثوري",
    "pat-ryder": "بات رايدر",
    "joe-biden": "جو بايدن",
    "justin-trudeau": "جاستن ترودو",
    "cbs-news": "سي بي إس نيوز",
    "margaret-brennan": "مارغريت برينان",
    "sdf": "قسد",
    "isis": "داعش",
    "nournews": "نورنيوز",
    "ir-snsc": "المجلس الأعلى للأمن القومي الإيراني",
}


def test_seed_places_with_their_mentions(seed):
    places = by_id(seed["places"])
    for pid, mention in SEED_PLACES.items():
        assert pid in places, pid
        assert mention in places[pid]["mentions"], (pid, places[pid]["mentions"])


def test_seed_places_carry_their_parent_chain(seed):
    places = by_id(seed["places"])
    assert places["sy-al-omar-field"]["parents"][-1] == "sy"
    assert "sy-deir-ez-zor" in places["sy-al-omar-field"]["parents"]
    assert places["sy-deir-ez-zor"]["parents"] == ["sy"]
    assert places["sy"]["parents"] == []
    for place in seed["places"]:
        assert set(place) >= {"id", "name_ar", "name_en", "kind", "lat", "lon", "parents", "mentions"}


def test_seed_names_that_are_not_places_are_not_places(seed):
    found = set(ids(seed["places"]))
    # `الزور` alone, `العمر` alone and the common words of the article name no place
    assert all(not pid.endswith("-zor") or pid == "sy-deir-ez-zor" for pid in found)
    assert len(found) <= len(SEED_PLACES) + 2, sorted(found - set(SEED_PLACES))


def test_seed_actors_with_their_mentions(seed):
    actors = by_id(seed["actors"])
    for aid, mention in SEED_ACTORS.items():
        assert aid in actors, aid
        assert mention in actors[aid]["mentions"], (aid, actors[aid]["mentions"])
    assert {"الجيش الأمريكي", "الجيش الأميركي", "القوات الأمريكية"} <= set(actors["us-armed-forces"]["mentions"])
    assert "وزارة الدفاع الأمريكية" in actors["us-dod"]["mentions"]
    for actor in seed["actors"]:
        assert set(actor) >= {"id", "name_ar", "name_en", "type", "mentions"}


def test_seed_relative_dates(seed):
    dates = [(d["date"], d["text"], d["kind"]) for d in seed["dates"]]
    assert dates == [
        ("2023-03-24", "ليلة الجمعة-السبت", "relative"),
        ("2023-03-25", "ليلة الجمعة-السبت", "relative"),
        ("2023-03-23", "ليل الخميس الجمعة", "relative"),
    ]


def test_seed_without_publication_date_has_no_relative_dates(extractor, seed_text):
    assert extractor.extract("", seed_text, None)["dates"] == []


def test_mentions_are_as_written_and_unique(seed):
    for item in seed["places"] + seed["actors"]:
        assert len(item["mentions"]) == len(set(item["mentions"]))
    us_dod = by_id(seed["actors"])["us-dod"]["mentions"]
    assert "لـ" not in "".join(us_dod) and all(not m.startswith("وال") for m in us_dod)


def test_index_fields_hold_ancestors_mentions_actors_and_days(extractor, seed):
    fields = extractor.index_fields(seed)
    assert set(fields) == {"places", "place_mentions", "actors", "event_dates", "events"}
    assert "sy-al-omar-field" in fields["place_mentions"] and "sy-al-omar-field" in fields["places"]
    for place in seed["places"]:
        assert set(place["parents"]) <= set(fields["places"])
    assert fields["event_dates"] == ["2023-03-23", "2023-03-24", "2023-03-25"]
    assert fields["actors"] == ids(seed["actors"])


def test_clitics_variants_and_guards_in_our_own_sentences(extractor):
    text = ("وصلت تعزيزات بدير الزور ولدمشق، وقال الحوثيون إن مقاتليهم ردوا على والحوثيين. "
            "وتقع قاعدة عسكرية قرب مدينة عدن.")
    result = extractor.extract("", text, None)
    places = by_id(result["places"])
    assert places["sy-deir-ez-zor"]["mentions"] == ["دير الزور"]
    assert places["sy-damascus"]["mentions"] == ["دمشق"]
    assert "ye-aden" in places
    actors = by_id(result["actors"])
    assert set(actors["houthis"]["mentions"]) == {"الحوثيون", "الحوثيين"}
    assert "al-qaeda" not in actors


def test_a_common_word_name_without_a_cue_is_not_a_place(extractor):
    result = extractor.extract("", "نشرت الصحيفة صور الدمار في الحي", None)
    assert "lb-tyre" not in ids(result["places"])


def test_snapshot_shapes(extractor):
    snap = extractor.snapshot()
    assert set(snap) == {"places", "actors", "sources"}
    assert len(snap["places"]) >= 600 and len(snap["actors"]) >= 250 and snap["sources"]
    place = by_id(snap["places"])["sy-deir-ez-zor"]
    assert set(place) >= {"id", "name_ar", "name_en", "kind", "lat", "lon", "parents",
                          "aliases_ar", "aliases_en", "adjectives_ar"}
    actor = by_id(snap["actors"])["pat-ryder"]
    assert set(actor) >= {"id", "name_ar", "name_en", "type", "aliases_ar", "aliases_en", "related",
                          "role_ar", "role_en", "member_of"}
    json.dumps(snap, ensure_ascii=False)


def test_extractor_is_cached_and_shared_with_forked_workers(extractor):
    assert get_extractor() is extractor
    if not hasattr(os, "fork"):
        return
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child uses the parent's extractor without reloading anything
        os.close(read)
        out = get_extractor().extract("", "قصف في دير الزور", None)
        os.write(write, json.dumps(ids(out["places"])).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child = json.loads(pipe.read())
    os.waitpid(pid, 0)
    assert child == ["sy-deir-ez-zor"]


def test_extract_document_accepts_json_and_plain_text():
    article = json.dumps({"title": "دير الزور", "content": "قصف أمس", "date_extracted": "2015-08-02 10:00:00"},
                         ensure_ascii=False)
    result = extract_document(article)
    assert ids(result["places"]) == ["sy-deir-ez-zor"]
    assert result["dates"] == [{"date": "2015-08-01", "text": "أمس", "kind": "relative"}]
    assert extract_document("قصف أمس", published="2015-08-02")["dates"][0]["date"] == "2015-08-01"


@pytest.mark.parametrize("raw, published, message", [
    ("{bad json", None, "JSON"),
    ('{"content": 5}', None, "content"),
    ('{"content": "x", "title": 3}', None, "title"),
    ('{"content": "x", "published": "2015-02-30"}', None, "published"),
    ("نص", "tomorrow", "--published"),
])
def test_extract_document_errors_name_the_field(raw, published, message):
    with pytest.raises(ValueError, match=message):
        extract_document(raw, published)
