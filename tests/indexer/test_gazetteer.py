"""The gazetteer: what it holds, that it is checked at load, and how its names are found in text.

All Arabic sentences here are our own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.entities.datafile import DataFileError, data_path
from indexer.entities.gazetteer import load_gazetteer

SYRIA = ["sy-damascus", "sy-rif-dimashq", "sy-aleppo", "sy-homs", "sy-hama", "sy-latakia", "sy-tartus",
         "sy-idlib", "sy-raqqa", "sy-deir-ez-zor", "sy-hasakah", "sy-daraa", "sy-suwayda", "sy-quneitra"]
IRAQ = ["iq-baghdad", "iq-basra", "iq-nineveh", "iq-anbar", "iq-salah-ad-din", "iq-kirkuk", "iq-diyala",
        "iq-erbil", "iq-duhok", "iq-sulaymaniyah", "iq-halabja", "iq-babil", "iq-karbala", "iq-najaf",
        "iq-qadisiyah", "iq-wasit", "iq-maysan", "iq-dhi-qar", "iq-muthanna"]
YEMEN = ["ye-sanaa", "ye-sanaa-governorate", "ye-aden", "ye-taiz", "ye-hodeidah", "ye-ibb", "ye-dhamar",
         "ye-hajjah", "ye-amran", "ye-saada", "ye-al-jawf", "ye-marib", "ye-al-bayda", "ye-shabwa",
         "ye-hadramawt", "ye-al-mahra", "ye-abyan", "ye-lahij", "ye-al-dhale", "ye-al-mahwit", "ye-raymah",
         "ye-socotra"]
# (lat min, lat max, lon min, lon max), generous by about half a degree
BOXES = {
    "sy": (32.0, 37.8, 35.4, 42.8), "iq": (28.8, 37.9, 38.5, 48.9), "ye": (11.9, 19.5, 41.8, 54.9),
    "lb": (32.8, 34.9, 34.9, 36.9), "ps": (31.0, 32.9, 34.0, 35.9), "il": (29.2, 33.6, 34.0, 35.95),
    "ly": (19.2, 33.5, 9.0, 25.5), "sd": (8.4, 22.5, 21.5, 38.9), "ir": (24.8, 40.1, 43.8, 63.6),
    "tr": (35.6, 42.4, 25.5, 45.0), "eg": (21.7, 31.9, 24.5, 35.2), "sa": (16.0, 32.5, 34.3, 56.0),
    "jo": (29.0, 33.7, 34.7, 39.6), "kw": (28.3, 30.4, 46.3, 48.7), "qa": (24.3, 26.4, 50.5, 51.9),
    "bh": (25.5, 26.6, 50.2, 50.9), "ae": (22.4, 26.4, 51.3, 56.7), "om": (16.4, 26.7, 51.8, 60.1),
}


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def place_ids(extractor, text: str) -> list[str]:
    return [p["id"] for p in extractor.extract("", text, None)["places"]]


def mentions(extractor, text: str) -> dict[str, list[str]]:
    return {p["id"]: p["mentions"] for p in extractor.extract("", text, None)["places"]}


# what it holds -------------------------------------------------------------------------------
def test_the_gazetteer_is_large_and_deep_where_the_wars_are(gaz):
    assert len(gaz) >= 600
    by_country: dict[str, int] = {}
    for pid in gaz.places:
        country = gaz.country_of(pid)
        by_country[country] = by_country.get(country, 0) + 1
    for country, least in {"sy": 150, "iq": 100, "ye": 60, "lb": 30, "ps": 40, "ly": 40, "sd": 25,
                           "ir": 30, "tr": 20, "eg": 30, "sa": 30, "jo": 15}.items():
        assert by_country.get(country, 0) >= least, country
    kinds = {e["kind"] for e in gaz.places.values()}
    assert kinds == {"country", "region", "governorate", "district", "city", "town", "site"}
    for power in ("us", "ru", "gb", "fr", "cn", "ca", "de", "us-washington", "ru-moscow", "gb-london",
                  "fr-paris", "cn-beijing", "ca-ottawa", "ir-tehran", "tr-ankara"):
        assert power in gaz.places, power


@pytest.mark.parametrize("ids, country", [(SYRIA, "sy"), (IRAQ, "iq"), (YEMEN, "ye")])
def test_every_governorate_of_syria_iraq_and_yemen(gaz, ids, country):
    for pid in ids:
        assert gaz.places[pid]["kind"] == "governorate", pid
        assert gaz.country_of(pid) == country
    governorates = {pid for pid, e in gaz.places.items()
                    if e["kind"] == "governorate" and gaz.country_of(pid) == country}
    assert governorates == set(ids)


def test_the_sites_of_war_reporting_are_there(gaz):
    sites = {"sy-al-omar-field": "oil_field", "sy-conoco-field": "gas_field", "sy-green-village": "base",
             "sy-al-tanf": "base", "iq-ain-al-asad": "base", "sy-al-hol-camp": "camp",
             "sy-bab-al-hawa": "crossing", "iq-mosul-dam": "dam", "ye-hodeidah-port": "port",
             "sy-damascus-airport": "airport", "sy-saydnaya-prison": "prison"}
    for pid, site_type in sites.items():
        assert gaz.places[pid]["kind"] == "site" and gaz.places[pid]["site_type"] == site_type, pid
    assert gaz.places["sy-green-village"]["name_ar"] == "القاعدة الخضراء"


def test_parent_chains_run_up_to_a_country(gaz):
    for pid, chain in gaz.parents.items():
        kind = gaz.places[pid]["kind"]
        if kind == "country":
            assert chain == [], pid
        elif gaz.places[pid]["parent"] is not None:
            assert chain and gaz.places[chain[-1]]["kind"] in ("country", "region"), pid
            assert gaz.country_of(pid) is not None or gaz.places[chain[-1]]["kind"] == "region", pid
        else:
            assert kind == "region", pid


def test_contract_shape_and_parents_nearest_first(gaz):
    omar = gaz.to_contract("sy-al-omar-field")
    assert set(omar) == {"id", "name_ar", "name_en", "kind", "lat", "lon", "parents"}
    assert omar["parents"] == ["sy-deir-ez-zor", "sy"]
    assert gaz.to_contract("sy-deir-ez-zor")["parents"] == ["sy"]
    assert gaz.to_contract("sy")["parents"] == []
    assert gaz.to_contract("iq-erbil-city")["parents"] == ["iq-erbil", "iq-kurdistan-region", "iq"]
    json.dumps(omar, ensure_ascii=False)


def test_coordinates_lie_in_their_country(gaz):
    outside = []
    for pid, e in gaz.places.items():
        box = BOXES.get(gaz.country_of(pid) or "")
        if box and not (box[0] <= e["lat"] <= box[1] and box[2] <= e["lon"] <= box[3]):
            outside.append((pid, e["lat"], e["lon"]))
    assert outside == []


def test_names_and_ids_follow_the_format(gaz):
    for pid, e in gaz.places.items():
        assert e["name_ar"].strip() == e["name_ar"] and e["name_en"].strip(), pid
        if e["kind"] == "country":
            assert len(pid) == 2, pid
        elif e["parent"] is not None:
            assert pid.split("-")[0] == gaz.country_of(pid) or gaz.country_of(pid) is None, pid
        assert e["source"] == "curated" or e["source"].startswith(("geonames:", "iso3166")), pid


@pytest.mark.slow
def test_the_base_file_is_what_the_script_generates(tmp_path):
    from indexer.entities.build_gazetteer_base import build, write

    out = tmp_path / "places.base.jsonl"
    write(build(), out)
    assert out.read_text("utf-8") == data_path("places.base.jsonl").read_text("utf-8")


# checked at load -----------------------------------------------------------------------------
GOOD = {"id": "zz", "name_ar": "بلد", "name_en": "Land", "kind": "country", "parent": None,
        "lat": 10.0, "lon": 10.0, "source": "curated"}
TOWN = {"id": "zz-town", "name_ar": "بلدة", "name_en": "Town", "kind": "town", "parent": "zz",
        "lat": 10.1, "lon": 10.1, "source": "curated"}


def write_lines(path: Path, lines: list) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n"
                            for x in lines), "utf-8")
    return path


@pytest.mark.parametrize("lines, line, field, reason", [
    ([GOOD, dict(TOWN, parent="zz-nowhere")], 2, "parent", "unknown parent"),
    ([GOOD, TOWN, dict(TOWN, name_en="Again")], 3, "id", "duplicate"),
    ([GOOD, dict(TOWN, kind="village")], 2, "kind", "must be one of"),
    ([GOOD, dict(TOWN, lat=95.0)], 2, "lat", "from -90.0 to 90.0"),
    ([GOOD, dict(TOWN, lon="36.2")], 2, "lon", "must be a number"),
    ([GOOD, "{not json"], 2, None, "invalid JSON"),
    ([GOOD, dict(TOWN, id="ZZ Town")], 2, "id", "must match"),
    ([GOOD, dict(TOWN, aliases_ar="بلدتنا")], 2, "aliases_ar", "list of non-empty strings"),
    ([GOOD, dict(TOWN, kind="site")], 2, "site_type", "required for kind site"),
    ([GOOD, dict(TOWN, parent=None)], 2, "parent", "needs a parent"),
    ([dict(GOOD, parent="zz-town"), TOWN], 1, "parent", "a country has no parent"),
    ([GOOD, dict(TOWN, colour="blue")], 2, "colour", "unknown field"),
    ([GOOD, {k: v for k, v in TOWN.items() if k != "name_en"}], 2, "name_en", "non-empty string"),
    ([GOOD, dict(TOWN, context_aliases_ar="أمانة البلدة")], 2, "context_aliases_ar", "list of non-empty strings"),
    ([GOOD, dict(TOWN, context_aliases_ar=["أمانة البلدة", ""])], 2, "context_aliases_ar", "list of non-empty strings"),
])
def test_a_malformed_entry_fails_with_file_line_and_field(tmp_path, lines, line, field, reason):
    path = write_lines(tmp_path / "places.base.jsonl", ["// a comment line", ""] + lines)
    with pytest.raises(DataFileError) as error:
        load_gazetteer([path])
    assert error.value.path == str(path)
    assert error.value.line == line + 2
    assert error.value.field == field
    assert reason in str(error.value)
    assert f"{path}:{line + 2}" in str(error.value)


def test_a_cycle_is_reported_at_the_curated_line_that_made_it(tmp_path):
    base = write_lines(tmp_path / "base.jsonl", [GOOD, dict(TOWN, kind="district"),
                                                 dict(TOWN, id="zz-village", parent="zz-town")])
    curated = write_lines(tmp_path / "curated.jsonl", [{"id": "zz-town", "parent": "zz-village"}])
    with pytest.raises(DataFileError) as error:
        load_gazetteer([base, curated])
    assert (error.value.path, error.value.line, error.value.field) == (str(curated), 1, "parent")
    assert "cycle" in error.value.reason


def test_curated_lines_override_add_and_drop(tmp_path):
    base = write_lines(tmp_path / "base.jsonl", [GOOD, TOWN, dict(TOWN, id="zz-other", name_ar="أخرى")])
    curated = write_lines(tmp_path / "curated.jsonl", [
        {"id": "zz-town", "name_ar": "البلدة", "aliases_ar": ["بلدتنا"], "cue_only": True},
        {"id": "zz-other", "drop": True},
        dict(TOWN, id="zz-field", kind="site", site_type="oil_field", parent="zz-town", name_ar="حقل"),
    ])
    gaz = load_gazetteer([base, curated])
    assert set(gaz.places) == {"zz", "zz-town", "zz-field"}
    assert gaz.places["zz-town"]["name_ar"] == "البلدة" and gaz.places["zz-town"]["aliases_ar"] == ["بلدتنا"]
    assert gaz.places["zz-town"]["name_en"] == "Town"  # fields the override leaves alone stay
    assert gaz.to_contract("zz-field")["parents"] == ["zz-town", "zz"]


@pytest.mark.parametrize("curated, field, reason", [
    ({"id": "zz-gone", "drop": True}, "id", "drop of an unknown place"),
    ({"id": "zz-town", "drop": True, "name_ar": "x"}, "name_ar", "only id and drop"),
    ({"id": "zz-new", "name_ar": "جديدة"}, "name_en", "non-empty string"),
])
def test_bad_curated_lines_fail_too(tmp_path, curated, field, reason):
    base = write_lines(tmp_path / "base.jsonl", [GOOD, TOWN])
    path = write_lines(tmp_path / "curated.jsonl", [curated])
    with pytest.raises(DataFileError) as error:
        load_gazetteer([base, path])
    assert (error.value.path, error.value.line, error.value.field) == (str(path), 1, field)
    assert reason in error.value.reason


# found in text -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, pid, mention", [
    ("وصلت تعزيزات بدير الزور أمس", "sy-deir-ez-zor", "دير الزور"),
    ("عاد الوفد ولدمشق رسالة", "sy-damascus", "دمشق"),
    ("توجهت القافلة للحسكة", "sy-hasakah", "الحسكة"),
    ("اشتباكات وبالرقة حظر تجول", "sy-raqqa", "الرقة"),
    ("سيطرت القوات على مدينتي رأس العين وتل أبيض", "sy-tell-abyad", "تل أبيض"),
    ("نزح السكان من الخرطوم وأم درمان", "sd-omdurman", "أم درمان"),
])
def test_clitics_on_the_first_word(extractor, text, pid, mention):
    assert mention in mentions(extractor, text).get(pid, []), mentions(extractor, text)


def test_a_word_that_merely_starts_with_a_clitic_letter_is_no_place(extractor):
    # `كريمة` is not ك + `ريمة`, `فعالية` is not ف + `عالية`: a clitic the analyzer does not see
    # may only begin a name of two words or more
    assert place_ids(extractor, "أقيمت فعالية كريمة في الحديقة") == []
    assert place_ids(extractor, "قصف فدير الزور") == ["sy-deir-ez-zor"]


def test_longest_match_first(extractor):
    found = mentions(extractor, "سقطت قذائف قرب حقل العمر في ريف دير الزور الشرقي")
    assert found.get("sy-al-omar-field") == ["حقل العمر"]
    assert "sy-deir-ez-zor" in found
    assert place_ids(extractor, "قال العمر إن الزور قديم") == []
    assert place_ids(extractor, "استهدفت القاعدة الخضراء ليلا") == ["sy-green-village"]


@pytest.mark.parametrize("text, expected", [
    ("نشرت الصحيفة صور الدمار في الحي", []),
    ("قصفت الطائرات مدينة صور الساحلية", ["lb-tyre"]),
    ("فتح الباب أمام مفاوضات في دمشق", ["sy-damascus"]),
    ("تقدمت القوات نحو مدينة الباب شرقي حلب", ["sy-al-bab", "sy-aleppo"]),
    ("أطلق التحالف عاصفة الحزم في اليمن", ["ye"]),
    ("وصلت سفينة إلى ميناء عدن", ["ye-aden-port"]),
    ("ولد في مسقط رأسه قرب النهر", []),
    ("انتقد الطبقة السياسية بشدة", []),
    ("ارتفع الدولار الأمريكي أمام العملات", []),
])
def test_common_word_guards(extractor, text, expected):
    assert place_ids(extractor, text) == expected


def test_an_ambiguous_name_counts_when_its_country_is_named_for_sure(extractor):
    assert place_ids(extractor, "جنة عدن في الكتب القديمة") == []
    assert set(place_ids(extractor, "اشتدت المعارك في عدن جنوب اليمن")) == {"ye-aden", "ye"}


def test_an_ambiguous_region_needs_its_country_on_the_ground(extractor):
    gaza = "اقتحمت القوات الإسرائيلية بلدات في الضفة الغربية بعد قصف على غزة"
    assert "ps-west-bank" in place_ids(extractor, gaza)
    mosul = "انسحبت القوات من الضفة الغربية لنهر دجلة في الموصل ثم من الضفة الغربية كلها"
    assert "ps-west-bank" not in place_ids(extractor, mosul)


def test_places_inside_actor_names(extractor):
    assert "us" in place_ids(extractor, "أعلن التحالف الدولي بقيادة الولايات المتحدة شن غارات")
    assert place_ids(extractor, "قال قائد فيلق القدس إن الرد قادم") == []
    assert "sa" in place_ids(extractor, "تقدمت قوات التحالف العربي بقيادة المملكة نحو المدينة")


def test_a_list_of_places_vouches_for_its_common_word_members(extractor):
    found = place_ids(extractor, "تشمل المساعدات مديريات دار سعد، والشيخ عثمان، والبريقة، والمنصورة")
    assert {"ye-dar-saad", "ye-ash-shaykh-uthman", "ye-al-burayqah", "ye-al-mansurah-aden"} <= set(found)


def test_governorate_by_default_city_with_a_cue(extractor):
    assert place_ids(extractor, "غارات على دير الزور") == ["sy-deir-ez-zor"]
    assert place_ids(extractor, "غارات على مدينة دير الزور") == ["sy-deir-ez-zor-city"]
    assert place_ids(extractor, "في مدن القامشلي والحسكة والرقة") == [
        "sy-qamishli", "sy-hasakah-city", "sy-raqqa-city"]
    assert "iq-erbil-city" in place_ids(extractor, "وصل إلى أربيل، عاصمة إقليم كردستان")


def test_homonyms_are_told_apart_by_the_places_around_them(extractor):
    assert "ly-tripoli-city" in place_ids(extractor, "اشتباكات في طرابلس الليبية ومصراتة")
    assert "lb-tripoli" in place_ids(extractor, "توتر في طرابلس شمال لبنان")
    assert "jo-amman" in place_ids(extractor, "عقد المؤتمر في عمان بحضور وزير الخارجية الأردني")
    assert "om" in place_ids(extractor, "وصل الوزير إلى سلطنة عمان")


def test_a_quoted_name_spoken_to_is_a_newspaper(extractor):
    assert place_ids(extractor, 'وقال المسؤول لـ"الرياض" إن القرار نهائي') == []
    assert place_ids(extractor, "وأكد مصدر لـ«الشرق الأوسط» أن الوفد غادر") == []
    assert place_ids(extractor, "وصل الوفد إلى الرياض أمس") == ["sa-riyadh"]


def test_street_and_neighbourhood_names_are_not_the_city(extractor):
    assert place_ids(extractor, "انفجار في حي الرياض بالخرطوم") == ["sd-khartoum-city"]


def test_country_adjectives(extractor):
    found = mentions(extractor, "قال رئيس الوزراء الكندي إن القوات الأمريكية باقية")
    assert found["ca"] == ["الكندي"] and found["us"] == ["الأمريكية"]
    assert place_ids(extractor, "رفع يده اليمنى") == []
    assert place_ids(extractor, "في المحيط الهندي") == []


# every unguarded name is found where it stands, whatever clitic it carries --------------------
def test_every_plain_name_is_found_in_a_sentence(gaz, extractor):
    missed = []
    for pid, e in gaz.places.items():
        if e.get("ambiguous") or e.get("cue_only") or e["name_ar"] in e.get("context_aliases_ar", ()):
            continue
        found = mentions(extractor, f"وقعت الحادثة في {e['name_ar']} صباحا")
        if not any(e["name_ar"] in ms for ms in found.values()):
            missed.append(pid)
    assert missed == []


@settings(max_examples=60, deadline=None)
@given(pid=st.sampled_from(["sy-deir-ez-zor", "iq-mosul", "ye-hodeidah", "ly-benghazi-city",
                            "sy-al-bukamal", "lb-beirut", "ps-nablus", "sd-el-fasher"]),
       clitic=st.sampled_from(["", "و", "ب", "وب", "ل"]),
       before=st.sampled_from(["قصف", "وصلت قافلة إلى", "قال مسؤول"]),
       after=st.sampled_from(["أمس", "صباح اليوم", "و", "."]))
def test_clitics_never_change_the_place(gaz, extractor, pid, clitic, before, after):
    name = gaz.places[pid]["name_ar"]
    if clitic.endswith("ل") and name.startswith("ال"):
        name = name[1:]  # ل + ال is written لل
    found = place_ids(extractor, f"{before} {clitic}{name} {after}")
    assert any(x == pid or pid in gaz.parents.get(x, []) or x in gaz.parents[pid] for x in found), found
