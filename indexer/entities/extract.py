"""Places, actors and event dates of one article: the extractor the index build calls.

get_extractor() loads the gazetteer and the actor book once per process and builds the token
trie; build it before forking workers and the children share it copy-on-write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from typing import Any, Iterable, Mapping

from .dates import dated_spans, find_dates
from .matcher import Match, Matcher, Target
from .tokens import scan

ENGLISH_MIN_LENGTH = 3
KIND_CUES = {
    "محافظه": ("governorate",), "محافظتي": ("governorate",), "مدينه": ("city", "town"),
    "مدينتي": ("city", "town"), "بلده": ("town", "city"), "قريه": ("town",),
    "ولايه": ("governorate", "region"), "اقليم": ("region", "governorate"),
    "منطقه": ("district", "region", "town"), "قضاء": ("district",), "ناحيه": ("district", "town"),
    "مديريه": ("district",), "مطار": ("site",), "قاعده": ("site",), "حقل": ("site",),
    "مخيم": ("site",), "معبر": ("site",), "ميناء": ("site", "city"), "سد": ("site",),
    "مدن": ("city", "town"), "محافظات": ("governorate",), "بلدات": ("town", "city"), "قري": ("town",),
    "مديريات": ("district",),
}
AFTER_KIND_CUES = {"عاصمه": ("city",), "العاصمه": ("city",), "مركز": ("city", "town")}
FORMER = frozenset({"السابق", "الاسبق", "الراحل"})  # `الرئيس اليمني السابق`: not today's holder
STREET_WORDS = frozenset({"حي", "شارع", "دوار", "جاده"})
NAMED_STREET_KINDS = frozenset({"country", "governorate", "city", "town", "region"})
NOT_A_NAME = "none"
Hit = tuple[str, str, int]  # (entity id, surface as written, offset of the mention)
OUTLET_OPEN = re.compile(r"(?<!\w)ل\u0640?\s*[«\"“(]\s*$")
CLOSE_QUOTES = frozenset("»\"”)")
OPEN_QUOTES = frozenset("«\"“(")
LIST_JOINERS = frozenset({"و", "أو", "او", "ثم", "-", "–", "/"})
# Phrases that hold a place name or nisba but name no place: the matcher takes the longest match,
# so listing them here stops the shorter name inside (`مسقط رأس` is a birthplace, not Muscat).
NOT_PLACES = (
    "مسقط رأس", "مسقط رأسه", "مسقط رأسها", "الطبقة السياسية", "الطبقة الحاكمة", "الطبقة الوسطى",
    "الطبقة العاملة", "الطبقة الفقيرة", "الضفة الغربية للنهر", "الضفة الغربية لنهر", "الضفة الشرقية للنهر",
    "الضفة الشرقية لنهر", "البصرة الثقيل", "البصرة الخفيف", "المحيط الهندي", "الدولار الأمريكي",
    "الدولار الأميركي", "دولار أمريكي", "دولار أميركي", "الليرة اللبنانية", "الليرة السورية",
    "الليرة التركية", "الريال السعودي", "ريال سعودي", "الريال اليمني", "ريال يمني", "الريال الإيراني",
    "الريال القطري", "الريال العماني", "الدينار العراقي", "دينار عراقي", "الدينار الكويتي",
    "الدينار الأردني", "الدينار البحريني", "الدينار الليبي", "الجنيه المصري", "جنيه مصري",
    "الجنيه السوداني", "الجنيه الإسترليني", "الدرهم الإماراتي", "الدرهم المغربي", "اليوان الصيني",
    "الين الياباني", "الروبل الروسي", "الفرنك السويسري", "الخليج الفارسي",
    # agreements and talks named after a city (the city is not where the story happens)
    "اتفاقية فيينا", "اتفاقيات فيينا", "اتفاقية جنيف", "اتفاقيات جنيف", "اتفاق جوبا", "اتفاق الرياض",
    "اتفاق ستوكهولم", "اتفاق الطائف", "اتفاق أوسلو", "اتفاقية أوسلو", "اتفاقيات أوسلو", "اتفاق الدوحة",
    "اتفاق سوتشي", "مسار أستانا", "اتفاق الصخيرات", "اتفاق جدة", "اتفاقية كامب ديفيد",
    "سوق عكاظ", "جادة عكاظ", "استاد الإمارات", "ملعب الإمارات",  # a fair and a stadium, not the paper or the state
    "ينبع من", "تنبع من", "البقاع المقدسة", "حماة الديار", "حماة الوطن", "حماة الثورة", "حماة الحرمين", "حماة الحق",
    "حماة العقيدة", "حماة الشعب", "حماة الأرض", "حماة الدين", "حماة البيئة",
)


def field(entry: Any, name: str, default: Any = None) -> Any:
    """Read a field of a loader entry, whether the loader hands out dicts or objects."""
    if isinstance(entry, Mapping):
        value = entry.get(name, default)
    else:
        value = getattr(entry, name, default)
    return default if value is None else value


def entries(collection: Any) -> dict[str, Any]:
    if isinstance(collection, Mapping):
        return dict(collection)
    return {field(e, "id"): e for e in collection}


class Extractor:
    """Immutable after construction: safe to share between threads and forked workers."""

    def __init__(self, gazetteer: Any, book: Any, sources: Iterable[Any] = (),
                 events: bool | None = None) -> None:
        self.events = events_enabled() if events is None else events
        self.event_finder = None
        if self.events:
            from indexer.events.extract import get_finder

            self.event_finder = get_finder()
        self.gazetteer = gazetteer
        self.book = book
        self.places = entries(gazetteer.places)
        self.actors = entries(book.actors)
        self.sources = [
            {"id": field(s, "id"), "name_ar": field(s, "name_ar", ""), "name_en": field(s, "name_en", "")}
            for s in sources
        ]
        self.outlet_country = {field(s, "id"): field(s, "country") for s in sources}
        self.outlet_name = {field(s, "id"): field(s, "name_ar") for s in sources}
        self.place_contract = {pid: self._place_contract(pid) for pid in self.places}
        self.actor_contract = {aid: self._actor_contract(aid) for aid in self.actors}
        self.ancestors = {pid: list(self.place_contract[pid]["parents"]) for pid in self.places}
        self.population = {pid: field(e, "population", 0) for pid, e in self.places.items()}
        self.country = {pid: next((x for x in [pid] + self.ancestors[pid]
                                   if self.place_contract[x].get("kind") == "country"), None)
                        for pid in self.places}
        self.actor_country = {aid: field(e, "country") for aid, e in self.actors.items()}
        self.related = {aid: [field(r, "id") for r in self._related(aid)] for aid in self.actors}
        self.actor_home = {aid: self._home(aid) for aid in self.actors}
        self.matcher = Matcher(self._forms())

    def _place_contract(self, pid: str) -> dict:
        c = dict(self.gazetteer.to_contract(pid))
        c["parents"] = list(c.get("parents") or [])
        return c

    def _actor_contract(self, aid: str) -> dict:
        return dict(self.book.to_contract(aid))

    def _home(self, aid: str) -> frozenset[str]:
        """Where an actor acts: its country and its allies' (the Arab coalition in Yemen, not Syria)."""
        homes = {self.actor_country.get(other) for other in [aid] + self.related[aid]}
        homes.discard(None)
        return frozenset(homes)

    def _related(self, aid: str) -> list:
        if hasattr(self.book, "related"):
            return list(self.book.related(aid) or [])
        return list(field(self.actors[aid], "related", []))

    def _forms(self) -> Iterable[tuple[str, Target]]:
        from .matcher import DEFAULT_PLACE_CUES, cue_keys, form_keys

        cue_words = cue_keys(DEFAULT_PLACE_CUES)
        for phrase in NOT_PLACES:
            yield phrase, Target(NOT_A_NAME, phrase)
        for pid, e in self.places.items():
            strict = bool(field(e, "cue_only", False))
            ambiguous = strict or bool(field(e, "ambiguous", False))
            cues = frozenset(_norm_all(field(e, "cues_ar", [])))
            target = Target("place", pid, needs_cue=ambiguous, cues=cues, strict=strict)
            free = Target("place", pid)
            context_only = set(field(e, "context_aliases_ar", []))  # even the name (`محافظة العاصمة`)
            for form in [field(e, "name_ar", "")] + list(field(e, "aliases_ar", [])):
                keys = form_keys(form)
                if keys and form not in context_only:  # `منطقة عسير`: a name with its own cue is no common word
                    yield form, free if len(keys) > 1 and keys[0] in cue_words else target
            guarded = Target("place", pid, needs_cue=True, cues=cues)
            for form in field(e, "ambiguous_aliases_ar", []):
                yield form, guarded
            in_context = Target("place", pid, needs_cue=True, context=True)
            for form in field(e, "context_aliases_ar", []):
                yield form, in_context
            adjective = Target("place", pid, adjective=True)
            for form in field(e, "adjectives_ar", []):
                yield form, adjective
        for aid, e in self.actors.items():
            ambiguous = bool(field(e, "ambiguous", False))
            free = Target("actor", aid)
            guarded = Target("actor", aid, needs_cue=True, cues=frozenset(_norm_all(field(e, "cues_ar", []))))
            name = field(e, "name_ar", "")
            if name:
                yield name, free
            for form in field(e, "aliases_ar", []):
                yield form, guarded if ambiguous and len(form.split()) == 1 else free
            for t in field(e, "titles_ar", []):
                yield t["title"], Target("actor", aid, since=t["from"], until=t["to"] or "", local=t["local"])
            if not ambiguous:
                for form in [field(e, "name_en", "")] + list(field(e, "aliases_en", [])):
                    if len(form) >= ENGLISH_MIN_LENGTH:
                        yield form, free

    # extraction ---------------------------------------------------------------------------
    def extract(self, title: str, content: str, published: dt.date | None, source: str | None = None) -> dict:
        """{"places", "actors", "dates", "events", "killed", "injured"} per the contract, with mentions.
        SOURCE (the outlet's id) and PUBLISHED guard names whose meaning depends on who writes and
        when (`وزير الدفاع` in a Saudi paper of 2015).

        Event offsets (`start`/`end`) index the text extraction reads: the title, two newlines,
        then the content (the content alone when there is no title).
        """
        text = f"{title}\n\n{content}" if title else content
        tokens = scan(text)
        matches = self.matcher.find(text, tokens)
        spots: list[tuple[int, int, str, str]] | None = [] if self.event_finder is not None else None
        places, actors = self.resolve(matches, text, published, source, spots)
        dated = dated_spans(text, published, tokens)
        out = {
            "places": [dict(self.place_contract[pid], mentions=m) for pid, m in places.items()],
            "actors": [dict(self.actor_contract[aid], mentions=m) for aid, m in actors.items()],
            "dates": find_dates(text, published, tokens, dated),
            "events": [], "killed": None, "injured": None,
        }
        if self.event_finder is not None:
            spots.sort()
            title_end = len(title) if title else 0
            events, killed, injured = self.event_finder.find(
                text, tokens, spots, dated, published, title_end, self.place_within)
            out.update(events=events, killed=killed, injured=injured)
        return out

    def place_within(self, outer: str, inner: str) -> bool:
        """INNER is OUTER or lies inside it (Hasakah inside Syria)."""
        return outer == inner or outer in self.ancestors.get(inner, ())

    def resolve(self, matches: list[Match], text: str = "", published: dt.date | None = None,
                source: str | None = None, spots: list[tuple[int, int, str, str]] | None = None,
                ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Choose one place/actor per match, apply the common-word guards, gather mentions."""
        place_hits, actor_hits = self.resolve_spans(matches, text, published, source, spots)
        return group((h[0], h[1]) for h in place_hits), group((h[0], h[1]) for h in actor_hits)

    def spans(self, title: str, content: str, published: dt.date | None = None,
              source: str | None = None) -> tuple[list[Hit], list[Hit]]:
        """(places, actors) as (id, surface, start) per mention, offsets into `title\n\ncontent`:
        what the alias audit and the labelled mention sample look at."""
        text = f"{title}\n\n{content}" if title else content
        return self.resolve_spans(self.matcher.find(text, scan(text)), text, published, source)

    def resolve_spans(self, matches: list[Match], text: str = "", published: dt.date | None = None,
                      source: str | None = None, spots: list[tuple[int, int, str, str]] | None = None,
                      ) -> tuple[list[Hit], list[Hit]]:
        """(places, actors) hits; with SPOTS, also (start, end, kind, id) of each resolved name for
        the event finder (kind: place, nisba or actor)."""
        home = self.outlet_country.get(source) if source else None  # the outlet's country
        matches = self.titles_on(matches, text, published, home)
        matches = [m for m in matches if any(t.kind != NOT_A_NAME for t in m.targets)]
        joined = list_links(matches, text)
        places: set[str] = set()  # named for sure: unambiguous or cued somewhere in the article
        actors: set[str] = set()
        for m in matches:
            for t in m.targets:
                if not t.needs_cue or cued(t, m):
                    (places if t.kind == "place" else actors).add(t.id)
            if not self.names_a_person(m):
                places.update(t.id for t, _ in m.inside)
        listed = self.in_place_lists(matches, places, joined, home)
        for k in listed:
            places.update(t.id for t in matches[k].targets if t.kind == "place")
        inside = self.covered(places)
        grounded, anchors = self.countries_named(matches)
        sole = named_alone(matches)
        place_hits: list[Hit] = []
        actor_hits: list[Hit] = []
        for k, m in enumerate(matches):
            kept = [t for t in m.targets
                    if (t.kind == "place" and k in listed) or self.keep(t, m, places, actors, inside, grounded, home)]
            outlet = told_to_outlet(m, text) or self.own_outlet_quoted(m, text, source)
            place_targets = [t for t in kept if t.kind == "place" and not outlet and not self.street_of(t, m)
                             and (not t.strict or self.country.get(t.id) in anchors)]
            actor_targets = [t for t in kept if t.kind == "actor"]
            if place_targets and actor_targets:  # `الجزيرة`: the region, or the channel?
                if m.before & self.matcher.place_cues:
                    actor_targets = []
                else:
                    place_targets = []
            if place_targets:
                kinds = cue_kinds_at(matches, k, joined) if len(place_targets) > 1 else ()
                pid = self.best_place(place_targets, m, places, kinds, sole, home)
                place_hits.append((pid, m.mention, m.start))
                if spots is not None:  # a nisba (`جندي أمريكي`) says whose, not where
                    nisba = all(t.adjective for t in place_targets if t.id == pid)
                    spots.append((m.start, m.end, "nisba" if nisba else "place", pid))
            if actor_targets:
                aid = self.best_actor(actor_targets, places, actors)
                actor_hits.append((aid, m.mention, m.start))
                if spots is not None:
                    spots.append((m.start, m.end, "actor", aid))
                if not self.names_a_person(m):
                    for t, surface in m.inside:
                        place_hits.append((t.id, surface, max(m.start, text.find(surface, m.start, m.end))))
                        if spots is not None:
                            spots.append((m.start, m.end, "nisba", t.id))
        return place_hits, actor_hits

    def titles_on(self, matches: list[Match], text: str, published: dt.date | None,
                  outlet: str | None) -> list[Match]:
        """A title names the one who held it on the article's day (`ولي العهد` in 2015 is Mohammed
        bin Nayef; undated, the holder now). A bare title (`وزير الدفاع`) names its country's
        holder only in that country's press, never before another country's nisba (`وزير
        الدفاع الأمريكي`), and a title right before a person's name (`خادم الحرمين الشريفين
        الملك عبدالله`) introduces that person: the name, not the title, says who."""
        day = published.isoformat() if published else None
        out = []
        for k, m in enumerate(matches):
            if not any(t.since for t in m.targets):
                out.append(m)
                continue
            nxt = matches[k + 1] if k + 1 < len(matches) else None
            named_next = nxt is not None and nxt.first == m.last + 1 and any(
                t.kind == "actor" and not t.since and self.actor_contract[t.id].get("type") == "person"
                for t in nxt.targets)
            nisba = self.matcher.adjectives.get(m.after)
            kept = tuple(t for t in m.targets if not t.since or (
                not named_next and m.after not in FORMER
                and (t.since <= day < (t.until or "9999") if day else not t.until)
                and (not t.local or outlet == self.actor_country.get(t.id))
                and (nisba is None or nisba.id == self.actor_country.get(t.id))))
            if kept:
                out.append(m if len(kept) == len(m.targets) else dataclasses.replace(m, targets=kept))
            elif m.inside:  # `الرئيس الأمريكي باراك أوباما`: the name says who, the nisba still names the US
                target, surface = m.inside[0]
                start = max(m.start, text.find(surface, m.start, m.end))
                out.append(dataclasses.replace(m, targets=(target,), inside=[], mention=surface, start=start,
                                               end=start + len(surface)))
        return out

    def countries_named(self, matches: list[Match]) -> tuple[set[str], set[str | None]]:
        """(grounded, anchors): countries with a town or region of theirs named without doubt,
        which vouch for that country's common-word places (`الضفة الغربية` beside `غزة`); and
        countries named in any sure way (a name, a nisba, an actor), where alone a cued very
        common word may lie (`منطقة العلم` in a Yemen story is not the Iraqi town). Places
        above countries (seas, regions) count as anchored everywhere."""
        grounded: set[str] = set()
        anchors: set[str | None] = {None}
        for m in matches:
            for t in m.targets:
                if t.kind == "actor":
                    anchors.add(self.actor_country.get(t.id))
                elif not t.needs_cue:
                    country = self.country.get(t.id)
                    anchors.add(country)
                    if country is not None and country != t.id and not t.adjective:
                        grounded.add(country)
            anchors.update(self.country.get(t.id) for t, _ in m.inside)
        return grounded, anchors

    def own_outlet_quoted(self, m: Match, text: str, source: str | None) -> bool:
        """`"الرياض" تتقدم بالعزاء` in Al Riyadh: the paper's own name in quotes is the paper."""
        return (source is not None and m.mention == self.outlet_name.get(source)
                and text[m.start - 1:m.start] in OPEN_QUOTES and text[m.end:m.end + 1] in CLOSE_QUOTES)

    def names_a_person(self, m: Match) -> bool:
        """`محمد شياع السوداني` holds a nisba that is a surname, not Sudan (a title's nisba,
        `الرئيس الأمريكي`, is the country)."""
        people = [t for t in m.targets if t.kind == "actor"]
        return bool(people) and all(self.actor_contract[t.id].get("type") == "person" and not t.since
                                    for t in people)

    def street_of(self, t: Target, m: Match) -> bool:
        """`حي الرياض` in Khartoum, `شارع بغداد`: a city's name on a street is not the city."""
        return bool(m.before & STREET_WORDS) and self.place_contract[t.id].get("kind") in NAMED_STREET_KINDS

    def in_place_lists(self, matches: list[Match], places: set[str], joined: "Links",
                       outlet: str | None = None) -> set[int]:
        """Common-word names right next to another place name (`المنصورة، والشيخ عثمان، والبريقة`,
        `الأهواز ومشهد وطهران`): an enumeration of places is a cue for each of its members."""
        def solid(m: Match) -> bool:  # a nisba is no member of a list (`العلم العراقي` is a flag)
            return any(t.kind == "place" and not t.adjective and (
                not t.needs_cue or m.cued or (not t.strict and self.keep(t, m, places, set(), outlet=outlet)))
                for t in m.targets)

        listed: set[int] = set()
        candidates = [k for k, m in enumerate(matches)
                      if not m.cued and any(t.kind == "place" and t.needs_cue for t in m.targets)]
        grown = True
        while grown:  # a listed member vouches for its own neighbours in turn
            grown = False
            for k in candidates:
                if k in listed:
                    continue
                for j in (k - 1, k + 1):
                    link = joined.get(max(j, k)) if 0 <= j < len(matches) else None
                    if link == "comma" and all(t.strict for t in matches[k].targets if t.kind == "place"):
                        link = None  # `في تركيا، فإن`: a very common word needs `و` to join a list
                    if link and (j in listed or solid(matches[j])) \
                            and self.same_country(matches[k], matches[j]):
                        listed.add(k)
                        grown = True
                        break
        return listed

    def same_country(self, a: Match, b: Match) -> bool:
        """Lists name places of one country (`القاعدة والمفرق والحوبان` is Taiz, not Jordan)."""
        countries = {self.country.get(t.id) for t in b.targets if t.kind == "place"}
        return any(self.country.get(t.id) in countries for t in a.targets if t.kind == "place")

    def keep(self, t: Target, m: Match, places: set[str], actors: set[str],
             covered: frozenset[str] | set[str] = frozenset(),
             grounded: frozenset[str] | set[str] = frozenset(), outlet: str | None = None) -> bool:
        """A common-word name counts with a cue, or when the article names it (or, for a
        place, one of its ancestors: `عدن` in an article that names Yemen; one of the places
        inside it: `الضفة الغربية` with `نابلس`; or another place of its country by name:
        `الضفة الغربية` with `غزة`, not in a story of Mosul's west bank) for sure elsewhere."""
        if not t.needs_cue or cued(t, m):
            return True
        if t.strict:  # `الباب`, `الحزم`: a door and a storm unless this mention has its cue
            return False
        if t.context:
            return self.in_context(t, places, grounded, outlet)
        if t.kind == "actor":
            return t.id in actors
        return (t.id in places or t.id in covered or self.country.get(t.id) in grounded
                or any(a in places for a in self.ancestors.get(t.id, ())))

    def in_context(self, t: Target, places: set[str], grounded: frozenset[str] | set[str],
                   outlet: str | None) -> bool:
        """A context alias (`أمانة العاصمة`, `محافظة العاصمة`) names the place where the article
        names it or a town of its country for sure; naming only the country is enough in that
        country's press (or an unknown outlet's), not in another's: in a Saudi paper `أمانة
        العاصمة` is Mecca's or Riyadh's municipality even when the story mentions Yemen."""
        country = self.country.get(t.id)
        if t.id in places or country in grounded:
            return True
        return country in places and outlet in (None, country)

    def covered(self, places: set[str]) -> set[str]:
        """The governorates, regions and districts that the sure places lie in (not countries)."""
        return {a for p in places for a in self.ancestors.get(p, ()) if self.country.get(a) != a}

    def best_place(self, targets: list[Target], m: Match, places: set[str],
                   cue_kinds: tuple[str, ...] = (), sole: frozenset[str] | set[str] = frozenset(),
                   outlet: str | None = None) -> str:
        """One name, several places (`دير الزور` governorate and city, the two `طرابلس`, `الجوف`
        in Saudi Arabia and Yemen): the one the article names by a name of its own, then the one
        its other places lie beside, then the outlet's own country, then the most populous."""
        if len(targets) == 1:
            return targets[0].id
        ids = [t.id for t in targets]

        context = places.difference(ids)  # the rivals themselves are no evidence for each other
        rivals = set(ids)
        near: set[str] = set()  # governorates and districts the article's other places lie in
        for x in context:
            near.update(a for a in [x] + self.ancestors.get(x, []) if a not in rivals)

        def rank(pid: str) -> tuple:
            chain = self.ancestors.get(pid, ())
            return (
                self.place_contract[pid].get("kind") in cue_kinds,
                pid in sole,  # `منطقة الجوف` elsewhere: this `الجوف` is the Saudi region
                any(a in context for a in chain),  # its governorate or country is named
                any(a in near for a in chain),  # a place beside it is named (`البريقة` with `دار سعد`)
                any(pid in self.ancestors.get(other, ()) for other in ids if other != pid),
                outlet is not None and self.country.get(pid) == outlet,
                self.population.get(pid, 0) or 0,
            )

        return max(ids, key=rank)

    def best_actor(self, targets: list[Target], places: set[str], actors: set[str]) -> str:
        """One name, several actors (`التحالف`): the one whose country or allies the article names."""
        if len(targets) == 1:
            return targets[0].id

        named = set(places)  # `صنعاء` puts Yemen in the article too
        for pid in places:
            named.update(self.ancestors.get(pid, ()))

        def rank(t: Target) -> tuple:
            related = self.related.get(t.id, ())
            return (len(self.actor_home[t.id] & named), sum(r in actors for r in related),
                    self.actor_country.get(t.id) in named)

        return max(targets, key=rank).id

    def index_fields(self, extraction: Mapping[str, Any]) -> dict[str, list[str]]:
        """Ids for the index: places with every ancestor (so a governorate finds its towns)."""
        mentioned = [p["id"] for p in extraction.get("places", [])]
        with_ancestors: list[str] = []
        seen: set[str] = set()
        parents = {p["id"]: p.get("parents") or [] for p in extraction.get("places", [])}
        for pid in mentioned:
            for x in [pid] + list(self.ancestors.get(pid) or parents[pid]):
                if x not in seen:
                    seen.add(x)
                    with_ancestors.append(x)
        dates = sorted({d["date"] for d in extraction.get("dates", [])})
        kinds: list[str] = []
        for event in extraction.get("events") or []:
            for kind in (event.get("subtype"), event.get("type")):
                if kind and kind not in kinds:
                    kinds.append(kind)
        return {
            "places": with_ancestors,
            "place_mentions": mentioned,
            "actors": [a["id"] for a in extraction.get("actors", [])],
            "event_dates": dates,
            "events": kinds,
        }

    def snapshot(self) -> dict:
        """The entities snapshot (entities.json) that search and web read."""
        places = []
        for pid, e in self.places.items():
            c = dict(self.place_contract[pid])
            c["aliases_ar"] = list(field(e, "aliases_ar", []))
            c["aliases_en"] = list(field(e, "aliases_en", []))
            c["adjectives_ar"] = list(field(e, "adjectives_ar", []))
            places.append(c)
        actors = []
        for aid, e in self.actors.items():
            c = dict(self.actor_contract[aid])
            c["aliases_ar"] = list(field(e, "aliases_ar", []))
            c["aliases_en"] = list(field(e, "aliases_en", []))
            c["related"] = [{"id": field(r, "id"), "rel": field(r, "rel")} for r in self._related(aid)]
            for name in ("role_ar", "role_en", "member_of"):
                c[name] = field(e, name)
            actors.append(c)
        return {"places": places, "actors": actors, "sources": list(self.sources)}


def named_alone(matches: list[Match]) -> set[str]:
    """Places named at least once by a sure name that no other place shares."""
    out = set()
    for m in matches:
        places = [t for t in m.targets if t.kind == "place"]
        if len(places) == 1 and not places[0].needs_cue and not places[0].adjective:
            out.add(places[0].id)
    return out


def cued(t: Target, m: Match) -> bool:
    """The word before this mention makes T's common-word name a name. An actor with cues of its
    own takes only those (`الحوثي` before `وصالح`), not the default titles (`الشيخ صالح`); a
    context alias carries its own noun, and no word before it makes it sure."""
    if t.context:
        return False
    if t.kind == "actor" and t.cues:
        return bool(m.before & t.cues)
    return m.cued


def told_to_outlet(m: Match, text: str) -> bool:
    """`قال لـ"الرياض"`, `لـ«الشرق الأوسط»`: a quoted name the speaker talks to is a newspaper."""
    return bool(OUTLET_OPEN.search(text, max(0, m.start - 6), m.start)) and text[m.end:m.end + 1] in CLOSE_QUOTES


class Links(dict):
    """K → how match K joins match K-1 in a list: "and" (`و`, `أو`…) or "comma" (a comma alone)."""


def list_links(matches: list[Match], text: str) -> Links:
    """Matches that follow the previous one in a list: next word, joined by `و` or a comma."""
    out = Links()
    for k in range(1, len(matches)):
        before, m = matches[k - 1], matches[k]
        if before.last + 1 == m.first:
            gap = text[before.end:m.start].strip()
            if gap in LIST_JOINERS or gap.rstrip("،, ").endswith("و"):
                out[k] = "and"
            elif gap[:1] in "،,":
                out[k] = "comma"
    return out


def cue_kinds_at(matches: list[Match], k: int, joined: "Links") -> tuple[str, ...]:
    """The kind match K's cue asks for; a list inherits its head's (`مدن القامشلي والحسكة`)."""
    while True:
        kinds = m_cue_kinds(matches[k])
        if kinds or k not in joined:
            return kinds
        k -= 1


def m_cue_kinds(m: Match) -> tuple[str, ...]:
    """The place kinds the word before a name asks for (`محافظة دير الزور` → governorate), or the
    word after it (`أربيل، عاصمة إقليم كردستان` → the city)."""
    kinds = tuple(kind for word in m.before for kind in KIND_CUES.get(word, ()))
    return kinds + AFTER_KIND_CUES.get(m.after, ())


def group(hits: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, mention in hits:
        mentions = out.setdefault(key, [])
        if mention not in mentions:
            mentions.append(mention)
    return out


def _norm_all(words: Iterable[str]) -> list[str]:
    from .matcher import form_keys

    return [k for w in words for k in form_keys(w)]


# process-wide extractor ------------------------------------------------------------------
_extractor: Extractor | None = None


def events_enabled() -> bool:
    """MARSAD_EVENTS=0 builds without event extraction (the build benchmark's comparison)."""
    return os.environ.get("MARSAD_EVENTS", "1").strip().lower() not in ("0", "false", "no", "off")


def load_extractor() -> Extractor:
    from .actor_book import load_actor_book, load_sources
    from .gazetteer import load_gazetteer

    return Extractor(load_gazetteer(), load_actor_book(), load_sources())


def get_extractor() -> Extractor:
    """The process's extractor, built on first use (call before forking workers)."""
    global _extractor
    if _extractor is None:
        _extractor = load_extractor()
    return _extractor


# marsad extract -------------------------------------------------------------------------
def parse_date(value: Any, name: str) -> dt.date:
    """An ISO date or datetime (its day is taken); ValueError naming the field otherwise."""
    if isinstance(value, str):
        text = value.strip()
        for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
            try:
                day = parse(text)
            except ValueError:
                continue
            return day.date() if isinstance(day, dt.datetime) else day
    raise ValueError(f"{name}: not a date (expected YYYY-MM-DD): {value!r}")


def parse_article(raw: str) -> dict:
    """One article from RAW: a JSON object with CONTRACT.md fields, or plain text."""
    stripped = raw.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise ValueError(f"article JSON is invalid at line {error.lineno} column {error.colno}: {error.msg}") from None
        if not isinstance(data, dict):
            raise ValueError("article JSON must be one object with a 'content' field")
        content = data.get("content")
        if not isinstance(content, str) or not content.strip():
            raise ValueError("content: required, a non-empty string")
        title = data.get("title") or ""
        if not isinstance(title, str):
            raise ValueError("title: must be a string")
        source = data.get("source")
        return {"title": title, "content": content, "source": source if isinstance(source, str) else None,
                "published": data.get("published", data.get("date_extracted"))}
    if not stripped.strip():
        raise ValueError("content: the input is empty")
    return {"title": "", "content": raw, "published": None, "source": None}


def extract_document(raw: str, published: str | None = None) -> dict:
    """`marsad extract`: RAW is an article as JSON or plain text; --published overrides its date."""
    article = parse_article(raw)
    day = None
    if published is not None:
        day = parse_date(published, "--published")
    elif article["published"] not in (None, ""):
        day = parse_date(article["published"], "published")
    return get_extractor().extract(article["title"], article["content"], day, article["source"] or None)
