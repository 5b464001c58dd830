"""The actor book: what ships, how it loads, what it refuses, and that its names resolve in text.

Sentences are our own wording. Resolution goes through the same Extractor the index build uses.
"""

from __future__ import annotations

import glob
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.entities.actor_book import ACTOR_TYPES, RELATIONS, load_actor_book, load_sources
from indexer.entities.datafile import DataFileError
from indexer.entities.extract import Extractor
from indexer.entities.gazetteer import load_gazetteer

SEED_IDS = ["us-armed-forces", "us-dod", "irgc", "pat-ryder", "joe-biden", "justin-trudeau", "cbs-news",
            "margaret-brennan", "sdf", "isis", "nournews", "ir-snsc"]


@pytest.fixture(scope="module")
def book():
    return load_actor_book()


def actors_in(extractor: Extractor, text: str) -> dict[str, list[str]]:
    return {a["id"]: a["mentions"] for a in extractor.extract("", text, None)["actors"]}


# what ships -------------------------------------------------------------------------------
def test_the_book_is_large_and_covers_every_type(book):
    assert len(book.actors) >= 250
    by_type = {t: [a for a, e in book.actors.items() if e["type"] == t] for t in ACTOR_TYPES}
    assert all(len(ids) >= 5 for ids in by_type.values()), {t: len(v) for t, v in by_type.items()}
    assert len(by_type["person"]) >= 100 and len(by_type["media"]) >= 40


def test_the_ids_the_seed_article_needs_are_there(book):
    assert [i for i in SEED_IDS if i not in book.actors] == []


@pytest.mark.parametrize("aid, kind", [
    ("isis", "armed_group"), ("houthis", "armed_group"), ("hts", "armed_group"), ("rsf", "armed_group"),
    ("us-armed-forces", "state_force"), ("irgc", "state_force"), ("pmf", "state_force"), ("lna", "state_force"),
    ("us-dod", "government"), ("ir-snsc", "government"), ("un", "international"), ("saudi-coalition", "international"),
    ("global-coalition", "international"), ("reuters", "media"), ("spa", "media"), ("pat-ryder", "person"),
])
def test_types(book, aid, kind):
    assert book.actors[aid]["type"] == kind


def test_contract_shape(book):
    assert book.to_contract("sdf") == {"id": "sdf", "name_ar": "قوات سوريا الديمقراطية",
                                      "name_en": "Syrian Democratic Forces", "type": "armed_group"}


def test_people_carry_role_and_organisation(book):
    ryder = book.actors["pat-ryder"]
    assert ryder["member_of"] == "us-dod" and ryder["role_ar"] == "المتحدث باسم وزارة الدفاع الأمريكية"
    assert ryder["role_en"] == "Pentagon press secretary"
    people = [e for e in book.actors.values() if e["type"] == "person"]
    assert all(e.get("role_ar") and e.get("role_en") for e in people)
    assert "ahmed-asiri" in book.members("saudi-coalition")


def test_countries_are_gazetteer_places(book):
    places = load_gazetteer().places
    unknown = sorted({e["country"] for e in book.actors.values() if e.get("country") and e["country"] not in places})
    assert unknown == []


# relations ----------------------------------------------------------------------------------
def test_nusra_hts_chain_is_kept_both_ways(book):
    assert {"id": "jabhat-fateh-al-sham", "rel": "rebranded_as"} in book.related("jabhat-al-nusra")
    assert {"id": "hts", "rel": "predecessor_of"} in book.related("jabhat-al-nusra")
    assert {"id": "jabhat-al-nusra", "rel": "successor_of"} in book.related("hts")
    assert {"id": "jabhat-fateh-al-sham", "rel": "successor_of"} in book.related("hts")
    assert {"id": "wagner", "rel": "successor_of"} in book.related("africa-corps")


def test_alliances_are_symmetric_and_wings_one_way(book):
    assert {"id": "sdf", "rel": "allied_with"} in book.related("global-coalition")
    assert {"id": "global-coalition", "rel": "allied_with"} in book.related("sdf")
    assert {"id": "hamas", "rel": "wing_of"} in book.related("qassam-brigades")
    assert not any(r["id"] == "qassam-brigades" for r in book.related("hamas"))


def test_every_relation_points_to_a_known_actor(book):
    for aid in book.actors:
        for r in book.related(aid):
            assert r["id"] in book.actors and r["rel"] in RELATIONS, (aid, r)


# names in text ------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, aid, mention", [
    ("أعلن الجيش الأمريكي أنه نفذ ضربة قرب الحدود.", "us-armed-forces", "الجيش الأمريكي"),
    ("ردّ الجيش الأميركي على الهجوم بعد ساعات.", "us-armed-forces", "الجيش الأميركي"),
    ("قالت القوات الأمريكية إن أحداً لم يصب.", "us-armed-forces", "القوات الأمريكية"),
    ("وانسحبت القوات الأميركية من القاعدة ليلاً.", "us-armed-forces", "القوات الأميركية"),
    ("نشرت وزارة الدفاع الأمريكية (البنتاغون) بياناً مقتضباً.", "us-dod", "وزارة الدفاع الأمريكية"),
    ("نشرت وزارة الدفاع الأمريكية (البنتاغون) بياناً مقتضباً.", "us-dod", "البنتاغون"),
    ("وأكدت وزارة الدفاع الأميركية أن التحقيق جار.", "us-dod", "وزارة الدفاع الأميركية"),
    ("وقال متحدث باسم البنتاجون إن الضربة محدودة.", "us-dod", "البنتاجون"),
    ("وقالت القيادة المركزية الأمريكية إنها اعترضت مسيرة.", "centcom", "القيادة المركزية الأمريكية"),
    ("أعلن جيش الاحتلال توغلاً جديداً.", "idf", "جيش الاحتلال"),
    ("وقال الجيش الإسرائيلي إنه استهدف موقعاً.", "idf", "الجيش الإسرائيلي"),
    ("وتقدمت قوات النظام السوري نحو البلدة.", "syrian-army", "قوات النظام السوري"),
    ("وسيطرت الوحدات الكردية على التلة.", "ypg", "الوحدات الكردية"),
    ("وأعلنت قوات الدعم السريع سيطرتها على المعسكر.", "rsf", "قوات الدعم السريع"),
    ("وتوسط التحالف الدولي ضد داعش في الاتفاق.", "global-coalition", "التحالف الدولي ضد داعش"),
    ("وتدعم واشنطن الحملة عبر عملية العزم الصلب منذ سنوات.", "global-coalition", "عملية العزم الصلب"),
    ("وقال المتحدث باسم التحالف العربي إن الغارات مستمرة.", "saudi-coalition", "التحالف العربي"),
    ("وشارك مقاتلو الحشد الشعبي في الهجوم.", "pmf", "الحشد الشعبي"),
    ("وأعلن أنصار الله مسؤوليتهم عن الهجوم.", "houthis", "أنصار الله"),
    ("ونفى الحوثيون الاتهام.", "houthis", "الحوثيون"),
    ("وقال ضابط في الحرس الثوري إن المنشأة لم تتضرر.", "irgc", "الحرس الثوري"),
    ("وتقاتل قسد في الريف الشرقي.", "sdf", "قسد"),
    ("ووصل وفد من هيئة تحرير الشام إلى المعبر.", "hts", "هيئة تحرير الشام"),
    ("وكانت جبهة النصرة تسيطر على المدينة.", "jabhat-al-nusra", "جبهة النصرة"),
])
def test_descriptive_references_and_names_resolve(extractor, sentence, aid, mention):
    found = actors_in(extractor, sentence)
    assert aid in found, found
    assert mention in found[aid]


@pytest.mark.parametrize("name", ["داعش", "تنظيم الدولة", "الدولة الإسلامية", "تنظيم الدولة الإسلامية",
                                  "تنظيم الدولة الإسلامية في العراق والشام"])
def test_every_name_of_isis_is_isis(extractor, name):
    found = actors_in(extractor, f"قالت مصادر محلية إن عناصر من {name} انسحبوا من القرية.")
    assert list(found) == ["isis"] and found["isis"] == [name]


def test_people_by_full_name_and_by_surname_once_named(extractor):
    found = actors_in(extractor, "التقى جو بايدن رئيس الوزراء جاستن ترودو، ثم قال بايدن إن اللقاء كان مثمراً.")
    assert found["joe-biden"] == ["جو بايدن", "بايدن"] and "justin-trudeau" in found
    found = actors_in(extractor, "وقال المتحدث باسم البنتاغون الجنرال بات رايدر إن رايدر نفسه سيعقد مؤتمراً.")
    assert set(found["pat-ryder"]) == {"بات رايدر", "رايدر"} and "us-dod" in found


def test_a_common_surname_alone_needs_the_person_or_a_title(extractor):
    assert "bashar-al-assad" not in actors_in(extractor, "شاهد الأطفال الأسد في حديقة الحيوان.")
    assert "bashar-al-assad" in actors_in(extractor, "وقال الرئيس الأسد في خطاب متلفز إن الحرب طويلة.")
    assert "abdel-fattah-al-burhan" not in actors_in(extractor, "قدم الباحث البرهان على صحة فرضيته.")
    assert "abdel-fattah-al-burhan" in actors_in(extractor, "والتقى الفريق البرهان وفداً أفريقياً.")


@pytest.mark.parametrize("sentence, absent", [
    ("ساد الحماس بين الجمهور في الملعب.", "hamas"),
    ("فتح الباب أمام المستثمرين الجدد.", "fatah"),
    ("أقرّت الجمعية العامة للشركة توزيع الأرباح.", "unga"),
    ("وقع العقد الدكتور المهندس خالد الفلاني.", "abu-mahdi-al-muhandis"),
    ("وصل الرئيس السوداني إلى القاهرة.", "mohammed-shia-al-sudani"),
    ("تعلم اللغة العربية في المدارس إلزامي.", "al-arabiya"),
    ("سجل المدافع أحمد عسيري هدف الفوز.", "ahmed-asiri"),
    ("وقدمت الفرقة الرابعة عرضاً مسرحياً في الجامعة.", "sy-fourth-division"),
    ("وتبرعت عائلة بن لادن بإنشاء المبنى.", "osama-bin-laden"),
    ("لم تكن الأنشطة غير الشرعية محل نقاش.", "yemen-government"),
    ("شارك الفارس في المسيرة الوطنية.", "al-masirah"),
])
def test_common_words_do_not_fire(extractor, sentence, absent):
    assert absent not in actors_in(extractor, sentence)


@pytest.mark.parametrize("sentence, aid", [
    ("أقر مجلس الشورى في طهران مشروع القانون.", "ir-parliament"),
    ("ناقش مجلس الشورى في الرياض نظام المرور.", "sa-shura"),
    ("قاتلت أنصار الشريعة في بنغازي قوات حفتر.", "ansar-al-sharia-libya"),
    ("سيطرت أنصار الشريعة على المكلا في حضرموت.", "aqap"),
    ("نقل الهلال الأحمر الجرحى من رفح إلى مستشفيات غزة.", "palestinian-red-crescent"),
    ("باشر الهلال الأحمر نقل المصابين في الرياض.", "sa-red-crescent"),
    ("قال الدفاع المدني في إدلب إن فرقه انتشلت ناجين.", "white-helmets"),
])
def test_a_shared_name_goes_to_the_actor_of_the_article_s_country(extractor, sentence, aid):
    assert aid in actors_in(extractor, sentence)


def test_a_coalition_the_text_does_not_name_is_no_actor(extractor):
    found = actors_in(extractor, "شنت قوات التحالف وطيران التحالف غارات على مواقع قرب المدينة.")
    assert not {"saudi-coalition", "global-coalition"} & set(found)
    assert "saudi-coalition" in actors_in(extractor, "وأعلن التحالف العربي بقيادة السعودية بدء عاصفة الحزم.")


def test_an_actor_s_own_cues_replace_the_default_titles(extractor):
    found = actors_in(extractor, "تقدمت المقاومة بعد انسحاب ميليشيات الحوثي وصالح من المدينة.")
    assert found.get("ali-abdullah-saleh") == ["صالح"] and "houthis" in found
    assert "ali-abdullah-saleh" not in actors_in(extractor, "ألقى الشيخ صالح خطبة الجمعة في الجامع.")
    assert "ali-abdullah-saleh" not in actors_in(extractor, "صوّت المجلس لصالح القرار بعد نقاش طويل.")
    assert "ali-abdullah-saleh" in actors_in(extractor, "وقال الرئيس السابق صالح في كلمة متلفزة إنه باق.")


# sources ------------------------------------------------------------------------------------
def test_sources_have_arabic_and_english_names():
    sources = load_sources()
    assert len({s["id"] for s in sources}) == len(sources)
    assert all(s["name_ar"] and s["name_en"] for s in sources)


def test_every_corpus_source_is_listed(corpus_dir: Path):
    listed = {s["id"] for s in load_sources()}
    used = set()
    for path in glob.glob(str(corpus_dir / "*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            used.update(json.loads(line).get("source") for line in handle if line.strip())
    for path in glob.glob(str(corpus_dir / "features" / "*.md")):
        head = Path(path).read_text("utf-8").split("\n---", 1)[0]
        used.update(line.split(":", 1)[1].strip() for line in head.splitlines() if line.startswith("source:"))
    assert sorted(used - listed - {None}) == []


@pytest.mark.shared
def test_every_saudinewsnet_source_is_listed(shared_dir: Path):
    listed = {s["id"] for s in load_sources()}
    used = set()
    for path in sorted((shared_dir / "corpora" / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                used.update(a["source"] for a in json.loads(archive.read(name)))
    assert len(used) >= 14 and sorted(used - listed) == []


# refusals -----------------------------------------------------------------------------------
GOOD = [
    {"id": "alpha", "name_ar": "ألفا", "name_en": "Alpha", "type": "armed_group"},
    {"id": "beta", "name_ar": "بيتا", "name_en": "Beta", "type": "government", "country": "sy"},
    {"id": "gamma", "name_ar": "غاما", "name_en": "Gamma", "type": "person", "role_ar": "قائد", "role_en": "leader",
     "member_of": "alpha"},
]


HOLDER = {"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "person", "role_ar": "قائد",
          "role_en": "leader", "member_of": "alpha", "country": "sy",
          "titles_ar": [{"title": "القائد العام", "from": "2015-01-01", "to": "2016-01-01", "local": True}]}


def write(path: Path, entries: list) -> Path:
    path.write_text("".join((e if isinstance(e, str) else json.dumps(e, ensure_ascii=False)) + "\n"
                            for e in entries), "utf-8")
    return path


def test_a_small_good_book_loads(tmp_path):
    book = load_actor_book(write(tmp_path / "a.jsonl", ["// comment", ""] + GOOD))
    assert list(book.actors) == ["alpha", "beta", "gamma"]
    assert book.members("alpha") == ["gamma"] and book.related("alpha") == []


@pytest.mark.parametrize("bad, line, field", [
    ({"id": "alpha", "name_ar": "ألفا", "name_en": "Alpha2", "type": "other"}, 4, "id"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "militia"}, 4, "type"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "other", "related": [{"id": "nobody", "rel": "allied_with"}]},
     4, "related"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "other", "related": [{"id": "alpha", "rel": "enemy_of"}]},
     4, "related"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "person", "role_ar": "x", "role_en": "x",
      "member_of": "nobody"}, 4, "member_of"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "other", "role_en": "leader"}, 4, "role_en"),
    ({"id": "delta", "name_ar": "Delta", "name_en": "Delta", "type": "other"}, 4, "name_ar"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "other", "aliases_ar": ["Delta"]}, 4, "aliases_ar"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "other", "aliases_en": ["دلتا"]}, 4, "aliases_en"),
    ({"id": "Delta X", "name_ar": "دلتا", "name_en": "Delta", "type": "other"}, 4, "id"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "other", "colour": "red"}, 4, "colour"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "other", "active": "2017-2012"}, 4, "active"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "other", "ambiguous": "yes"}, 4, "ambiguous"),
    ({"id": "delta", "name_ar": "دلتا", "name_en": "Delta", "type": "other", "cues_ar": ["قائد"]}, 4, "cues_ar"),
    ('{"id": "delta", "name_ar": ', 4, None),
    (dict(HOLDER, titles_ar="القائد العام"), 4, "titles_ar"),
    (dict(HOLDER, titles_ar=[{"title": "القائد العام"}]), 4, "titles_ar"),
    (dict(HOLDER, titles_ar=[{"title": "Commander", "from": "2015-01-01"}]), 4, "titles_ar"),
    (dict(HOLDER, titles_ar=[{"title": "القائد العام", "from": "1/1/2015"}]), 4, "titles_ar"),
    (dict(HOLDER, titles_ar=[{"title": "القائد العام", "from": "2015-01-01", "to": "2014-01-01"}]), 4, "titles_ar"),
    (dict(HOLDER, titles_ar=[{"title": "القائد العام", "from": "2015-01-01", "local": "yes"}]), 4, "titles_ar"),
    (dict(HOLDER, titles_ar=[{"title": "القائد العام", "from": "2015-01-01", "until": "2016-01-01"}]), 4, "titles_ar"),
    (dict(HOLDER, country=None, titles_ar=[{"title": "القائد العام", "from": "2015-01-01", "local": True}]), 4,
     "titles_ar"),
    (dict(HOLDER, type="other", role_ar=None, role_en=None, member_of=None), 4, "titles_ar"),
])
def test_a_malformed_entry_fails_at_load_with_file_line_and_field(tmp_path, bad, line, field):
    path = write(tmp_path / "actors.jsonl", GOOD + [bad])
    with pytest.raises(DataFileError) as caught:
        load_actor_book(path)
    error = caught.value
    assert error.path == str(path) and error.line == line and error.field == field
    assert str(error).startswith(f"{path}:{line}")


def test_a_relation_to_an_actor_defined_later_is_fine_but_not_to_itself(tmp_path):
    first = dict(GOOD[0], related=[{"id": "beta", "rel": "allied_with"}])
    book = load_actor_book(write(tmp_path / "a.jsonl", [first] + GOOD[1:]))
    assert book.related("beta") == [{"id": "alpha", "rel": "allied_with"}]
    selfish = dict(GOOD[0], related=[{"id": "alpha", "rel": "allied_with"}])
    with pytest.raises(DataFileError, match=r"a\.jsonl:1: related"):
        load_actor_book(write(tmp_path / "a.jsonl", [selfish]))


def test_a_malformed_source_fails_with_file_and_line(tmp_path):
    path = write(tmp_path / "s.jsonl", [{"id": "one", "name_ar": "واحد", "name_en": "One"},
                                        {"id": "one", "name_ar": "واحد", "name_en": "One again"}])
    with pytest.raises(DataFileError, match=r"s\.jsonl:2: id: duplicate"):
        load_sources(path)
    with pytest.raises(DataFileError, match=r"s\.jsonl:1: name_en"):
        load_sources(write(tmp_path / "s.jsonl", [{"id": "one", "name_ar": "واحد"}]))


@settings(max_examples=40, deadline=None)
@given(size=st.integers(1, 12), broken=st.data())
def test_the_line_reported_is_the_broken_entry_s_line(tmp_path_factory, size, broken):
    entries = [{"id": f"actor-{i}", "name_ar": "فاعل", "name_en": f"Actor {i}", "type": "other"} for i in range(size)]
    at = broken.draw(st.integers(0, size - 1))
    field, value = broken.draw(st.sampled_from([("type", "rebel"), ("name_ar", ""), ("aliases_ar", "داعش"),
                                                ("country", "Syria"), ("related", [{"id": "x"}])]))
    entries[at] = dict(entries[at], **{field: value})
    blanks = broken.draw(st.lists(st.sampled_from(["", "// note"]), max_size=3))
    path = write(tmp_path_factory.mktemp("book") / "actors.jsonl", blanks + entries)
    with pytest.raises(DataFileError) as caught:
        load_actor_book(path)
    assert (caught.value.line, caught.value.field) == (len(blanks) + at + 1, field)


def test_two_holders_of_one_title_at_once_fail_at_the_second_holder_s_line(tmp_path):
    later = dict(HOLDER, id="epsilon", name_ar="إبسيلون", name_en="Epsilon",
                 titles_ar=[{"title": "القائد العام", "from": "2015-06-01", "local": True}])
    with pytest.raises(DataFileError, match=r"a\.jsonl:5: titles_ar: 'القائد العام' from 2015-06-01 overlaps 'delta'"):
        load_actor_book(write(tmp_path / "a.jsonl", GOOD + [HOLDER, later]))
    handover = dict(later, titles_ar=[{"title": "القائد العام", "from": "2016-01-01", "local": True}])
    book = load_actor_book(write(tmp_path / "a.jsonl", GOOD + [HOLDER, handover]))
    assert book.actors["epsilon"]["titles_ar"] == [{"title": "القائد العام", "from": "2016-01-01", "to": None,
                                                   "local": True}]


def test_every_shipped_title_names_a_person_with_dates():
    book = load_actor_book()
    held = {(t["title"], a["id"]) for a in book.actors.values() for t in a["titles_ar"]}
    assert ("ولي العهد", "mohammed-bin-nayef") in held and ("ولي العهد", "mohammed-bin-salman") in held
    assert ("الرئيس الأمريكي", "barack-obama") in held
