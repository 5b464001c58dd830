"""Stories at build and update time: URL variants, grouping, stable ids, stories.tsv.

Real texts come from SaudiNewsNet (read from ../shared at test time; pairs named by URL from the
labelled set tests/data/stories_eval/pairs.tsv); the URL-variant texts are our own sentences.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import numpy as np

from indexer import generations as gens
from indexer import stories as grouping
from indexer import story_store
from indexer.build import build_index, update_index
from indexer.dedup import variant_key

PAIRS = Path(__file__).resolve().parents[1] / "data" / "stories_eval" / "pairs.tsv"
SAME = (1, 2, 4, 12, 41, 83, 219)  # rows of pairs.tsv: one wire or statement, rewritten
DIFFERENT = (37, 97, 141, 172)  # template statements and bulletins of other days
# Soldiers' death notices of different days, one template: told apart once the template's wording
# is known as boilerplate (seen on COMMON_DAYS or more days), so tested in an index of every notice.
NOTICES = (162, 363)
FOLLOWUP = 311  # the Suruc bombing, next day's report with a wider toll


def labelled_pairs() -> list[tuple[str, str, str]]:
    rows = [line.rstrip("\n").split("\t") for line in PAIRS.read_text("utf-8").splitlines()
            if line and not line.startswith("#")]
    return [(label, a, b) for _, _, label, a, b, *_ in rows]


@pytest.fixture(scope="module")
def saudinewsnet(shared_dir: Path) -> dict[str, dict]:
    """SaudiNewsNet articles by URL, in the input format (date_extracted is the publication day)."""
    out = {}
    for path in sorted((shared_dir / "corpora" / "saudinewsnet").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for article in json.loads(archive.read(name)):
                    out[article["url"]] = article
    return out


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path


def live_stories(home: Path) -> dict[str, str]:
    return story_store.read_tsv(gens.current_generation(home))


def indexed_ids(home: Path) -> set[str]:
    with gens.open_index(gens.current_generation(home)).reader() as reader:
        return {fields["id"] for _, fields in reader.iter_docs()}


def story_of_url(home: Path) -> dict[str, str]:
    stories = live_stories(home)
    with gens.open_index(gens.current_generation(home)).reader() as reader:
        return {fields["url"]: stories[fields["id"]] for _, fields in reader.iter_docs()}


@pytest.fixture(scope="module")
def pair_articles(saudinewsnet: dict[str, dict]) -> tuple[list[tuple[str, str, str]], list[dict]]:
    pairs = labelled_pairs()
    chosen = [pairs[n] for n in SAME + DIFFERENT + (FOLLOWUP,)]
    urls = sorted({u for _, a, b in chosen for u in (a, b)})
    return chosen, [saudinewsnet[u] for u in urls]


@pytest.fixture(scope="module")
def pairs_home(tmp_path_factory: pytest.TempPathFactory, pair_articles) -> Path:
    _, articles = pair_articles
    home = tmp_path_factory.mktemp("stories-home")
    build_index([write_jsonl(home.parent / "pairs-input" / "all.jsonl", articles)], home, workers=1)
    return home


# --- one report is one report --------------------------------------------------------------

BODY = ("قالت مصادر في مدينة الرصد إن دورية حدودية أوقفت شاحنة محملة بالذخيرة قرب المعبر الشمالي "
        "فجر اليوم، وإن السائق اعترف بأنه كان ينقلها لحساب جماعة مسلحة تنشط في الوادي. وأضافت المصادر "
        "أن التحقيق ما زال جاريا لمعرفة الجهة التي مولت الشحنة وأن حراسة المعبر عززت بعشر آليات جديدة.")
OTHER = ("أعلن مجلس بلدية الواحة الشرقية افتتاح سوق جديدة للخضار في الحي القديم بعد عامين من العمل، "
         "وقال رئيس المجلس إن السوق تضم ستين متجرا وموقفا للسيارات وإن الرسوم ستبقى رمزية في السنة الأولى "
         "تشجيعا للباعة الصغار على الانتقال إليها من الأرصفة المزدحمة في وسط المدينة.")


def test_variant_key_drops_flags_and_keeps_identifying_parameters() -> None:
    assert variant_key("http://www.madina.example/x/123.html?live") == variant_key("http://www.madina.example/x/123.html")
    assert variant_key("http://www.madina.example/x/123.html?weekly") == "www.madina.example/x/123.html"
    a = variant_key("http://www.watan.example/News_Detail.aspx?ArticleID=1&CategoryID=5")
    b = variant_key("http://www.watan.example/News_Detail.aspx?ArticleID=2&CategoryID=5")
    assert a != b


def test_query_flag_copies_with_near_identical_text_become_one_report_newest_wins(tmp_path: Path) -> None:
    base = "http://www.madina.example/local/arrest.html"
    articles = [
        {"url": base, "title": "ضبط شحنة ذخيرة عند المعبر", "content": BODY, "source": "madina",
         "published": "2015-08-01"},
        {"url": base + "?live", "title": "ضبط شحنة ذخيرة عند المعبر",
         "content": BODY + " وأفرج عن مساعد السائق مساء.", "source": "madina", "published": "2015-08-02"},
        {"url": base + "?weekly", "title": "عنوان آخر", "content": OTHER, "source": "madina",
         "published": "2015-08-02"},
    ]
    home = tmp_path / "home"
    summary = build_index([write_jsonl(tmp_path / "in.jsonl", articles)], home, workers=1)
    assert summary["url_variants"] == 1
    assert summary["documents"] == 2  # the ?weekly copy tells something else: kept
    with gens.open_index(gens.current_generation(home)).reader() as reader:
        kept = {fields["url"]: fields for _, fields in reader.iter_docs()}
    assert set(kept) == {base + "?live", base + "?weekly"}
    assert kept[base + "?live"]["content"].endswith("مساء.")
    assert gens.read_marker(gens.current_generation(home))["url_variants"] == 1


def test_article_ids_in_the_query_string_stay_separate_articles(tmp_path: Path) -> None:
    page = "http://www.watan.example/Local/News_Detail.aspx"
    articles = [
        {"url": f"{page}?ArticleID=1&CategoryID=5", "title": "الأول", "content": BODY, "published": "2015-08-01"},
        {"url": f"{page}?ArticleID=2&CategoryID=5", "title": "الأول", "content": BODY, "published": "2015-08-01"},
        {"url": f"{page}?ArticleID=3&CategoryID=5", "title": "الثاني", "content": OTHER, "published": "2015-08-01"},
    ]
    summary = build_index([write_jsonl(tmp_path / "in.jsonl", articles)], tmp_path / "home", workers=1)
    assert summary["url_variants"] == 0
    assert summary["documents"] == 3


def test_update_merges_a_new_url_variant_of_an_indexed_report(tmp_path: Path) -> None:
    base = "http://www.madina.example/local/arrest.html"
    home = tmp_path / "home"
    first = {"url": base, "title": "ضبط شحنة ذخيرة", "content": BODY, "published": "2015-08-01"}
    build_index([write_jsonl(tmp_path / "a.jsonl", [first, {"url": "http://www.madina.example/o.html",
                                                            "content": OTHER, "published": "2015-08-01"}])],
                home, workers=1)
    again = dict(first, url=base + "?live", published="2015-08-02")
    summary = update_index([write_jsonl(tmp_path / "b.jsonl", [again])], home)
    assert summary["url_variants"] == 1
    with gens.open_index(gens.current_generation(home)).reader() as reader:
        urls = sorted(fields["url"] for _, fields in reader.iter_docs())
    assert urls == [base + "?live", "http://www.madina.example/o.html"]
    assert set(live_stories(home)) == indexed_ids(home)


# --- grouping on real texts ----------------------------------------------------------------

@pytest.mark.shared
def test_rewrites_of_one_wire_share_a_story(pairs_home: Path, pair_articles) -> None:
    story = story_of_url(pairs_home)
    for n in SAME:
        label, a, b = labelled_pairs()[n]
        assert label == "same"
        assert story[a] == story[b], f"pairs.tsv row {n} should be one story"


@pytest.mark.shared
def test_template_statements_of_different_events_stay_apart(pairs_home: Path) -> None:
    story = story_of_url(pairs_home)
    for n in DIFFERENT:
        label, a, b = labelled_pairs()[n]
        assert label == "different"
        assert story[a] != story[b], f"pairs.tsv row {n} are different events"


@pytest.mark.shared
def test_death_notices_of_different_days_stay_apart_once_their_template_is_known(
        tmp_path: Path, saudinewsnet: dict[str, dict]) -> None:
    notices = [x for x in saudinewsnet.values() if "مقذوف" in (x.get("title") or "")]  # 88 over 14 days
    urls = {x["url"] for x in notices}
    home = tmp_path / "notices"
    build_index([write_jsonl(tmp_path / "notices.jsonl", notices)], home, workers=1)
    story = story_of_url(home)
    for n in NOTICES:
        label, a, b = labelled_pairs()[n]
        assert label == "different" and a in urls and b in urls
        assert story[a] != story[b], f"pairs.tsv row {n} are different events"


@pytest.mark.shared
def test_followup_with_a_new_toll_is_its_own_story(pairs_home: Path) -> None:
    label, a, b = labelled_pairs()[FOLLOWUP]
    assert label == "followup"
    story = story_of_url(pairs_home)
    assert story[a] != story[b]


@pytest.mark.shared
def test_story_id_is_the_earliest_members_id(pairs_home: Path) -> None:
    stories = live_stories(pairs_home)
    with gens.open_index(gens.current_generation(pairs_home)).reader() as reader:
        docs = [fields for _, fields in reader.iter_docs()]
    members: dict[str, list[tuple[str, str]]] = {}
    for fields in docs:
        members.setdefault(stories[fields["id"]], []).append((fields["published"][:10], fields["id"]))
    assert any(len(m) > 1 for m in members.values())
    for story_id, group in members.items():
        assert story_id == min(group)[1]


@pytest.mark.shared
def test_stories_tsv_lists_every_indexed_article_once(pairs_home: Path) -> None:
    folder = gens.current_generation(pairs_home)
    lines = (folder / "stories.tsv").read_text("utf-8").splitlines()
    ids = [line.split("\t")[0] for line in lines]
    assert len(ids) == len(set(ids))
    assert set(ids) == indexed_ids(pairs_home)
    assert all(len(line.split("\t")) == 2 for line in lines)


# --- stability and update ------------------------------------------------------------------

@pytest.mark.shared
def test_rebuild_in_another_order_gives_the_same_story_ids(tmp_path: Path, pair_articles, pairs_home: Path) -> None:
    _, articles = pair_articles
    home = tmp_path / "again"
    build_index([write_jsonl(tmp_path / "rev.jsonl", list(reversed(articles)))], home, workers=2)
    assert live_stories(home) == live_stories(pairs_home)


@pytest.mark.shared
def test_update_places_new_articles_into_existing_stories(tmp_path: Path, pair_articles, pairs_home: Path) -> None:
    chosen, articles = pair_articles
    later = {b for label, a, b in chosen if label == "same"}
    home = tmp_path / "home"
    first = [x for x in articles if x["url"] not in later]
    build_index([write_jsonl(tmp_path / "first.jsonl", first)], home, workers=1)
    before = live_stories(home)
    summary = update_index([write_jsonl(tmp_path / "second.jsonl", [x for x in articles if x["url"] in later])], home)
    assert summary["added"] == len(later)
    after = live_stories(home)
    assert after == live_stories(pairs_home)  # what a full rebuild gives
    story = story_of_url(home)
    for n in SAME:
        _, a, b = labelled_pairs()[n]
        assert story[b] == story[a]
    assert sum(1 for i in before if before[i] != after[i]) <= len(later)  # ids only move to an earlier member
    assert set(after) == indexed_ids(home)


@pytest.mark.shared
def test_replacing_a_member_regroups_and_keeps_stories_tsv_in_sync(tmp_path: Path, pair_articles) -> None:
    chosen, articles = pair_articles
    _, a, b = chosen[SAME.index(4)]
    home = tmp_path / "home"
    build_index([write_jsonl(tmp_path / "all.jsonl", articles)], home, workers=1)
    assert story_of_url(home)[a] == story_of_url(home)[b]
    changed = dict(next(x for x in articles if x["url"] == b), content=OTHER)
    summary = update_index([write_jsonl(tmp_path / "fix.jsonl", [changed])], home)
    assert summary["replaced"] == 1
    story = story_of_url(home)
    assert story[a] != story[b]
    assert set(live_stories(home)) == indexed_ids(home)


# --- grouping rules on made-up fingerprints ------------------------------------------------

def made_up(day: int, shingles: np.ndarray) -> grouping.Member:
    shingles = np.unique(shingles.astype(np.uint32))
    return grouping.Member(f"r{day}-{shingles.sum()}", day, grouping.sketched(shingles))


def test_a_chain_of_links_does_not_join_reports_that_are_not_linked() -> None:
    members = [made_up(0, np.arange(n * 100, n * 100 + 40)) for n in range(4)]
    path = [(0, 1, 0.9), (1, 2, 0.8), (2, 3, 0.7)]  # a~b~c~d, nothing else
    ids = grouping.story_ids(members, path)
    assert ids[1] == ids[0]
    assert ids[3] != ids[0]  # d is linked to one of a, b, c only
    clique = path + [(0, 2, 0.6), (0, 3, 0.6), (1, 3, 0.6)]
    assert len(set(grouping.story_ids(members, clique))) == 1


def test_an_update_proposes_the_candidates_a_rebuild_does() -> None:
    rng = np.random.default_rng(7)
    boilerplate = np.arange(10 ** 6, 10 ** 6 + 30)  # a phrase every report of every day repeats
    members = []
    for day in range(12):
        for story in range(6):
            own = rng.choice(10 ** 5, 60, replace=False) + (day * 6 + story) * 10 ** 5
            for copy in range(3):  # three outlets rewrite each story: most shingles kept
                kept = own[rng.random(60) < 0.7]
                members.append(made_up(day, np.concatenate([kept, boilerplate, [10 ** 9 + len(members)]])))
    first_new = len(members) - 18  # the last day's reports arrive in an update
    rebuilt = {pair for pair in grouping.candidate_pairs(members) if pair[1] >= first_new}
    assert rebuilt == grouping.new_pairs(members, first_new)
    assert rebuilt  # the new copies do find the earlier ones


def test_candidates_skip_boilerplate_but_find_rewrites_of_one_story() -> None:
    rng = np.random.default_rng(3)
    boilerplate = np.arange(10 ** 6, 10 ** 6 + 400)
    members = [made_up(day, np.concatenate([rng.choice(10 ** 5, 25, replace=False) + day * 10 ** 5, boilerplate]))
               for day in range(20)]  # twenty bulletins: the same long template, a few words of their own
    story = rng.choice(10 ** 5, 80, replace=False) + 10 ** 8
    members += [made_up(5, story[rng.random(80) < 0.6]) for _ in range(2)]
    pairs = grouping.candidate_pairs(members)
    assert (20, 21) in pairs
    assert not any(j < 20 for _, j in pairs)
