"""Events of one article in ACLED's taxonomy, with casualty figures, place, actors and date.

One pass over the tokens the entity extractor already made: each token's stem is looked up in
one phrase table (triggers, context words, guards, casualty words), and only sentences that hold
a trigger are looked at further. Decisions (README, "Events"):
- A sentence is the unit: one event per sub-event type per sentence, its `text` the sentence.
- Weak triggers (words with a peaceful sense too: `معركة`, `تحرير`, `انفجار`) need conflict
  context in their sentence; generic ones (`هجوم`, `استهداف`, `ضربة`) take the kind of the
  nearest earlier specific event (two sentences back at most), else a default.
- Guards: a sentence about history or a statistic over a period gives nothing; sport,
  accident, disease, courts, crime and threats drop the weak and generic triggers.
- Figures: a casualty word takes the number after it (`مقتل 5`) or, for nouns, before it
  (`5 قتلى`); a person noun counts one (`مقتل جندي`), a dual two (`جنديين`); vague amounts keep
  their lower bound in `killed_min`/`injured_min` and leave `killed`/`injured` null. A figure
  goes to the nearest trigger before it in its sentence; the sentence's figure is the largest,
  never a sum of repetitions.
- The same event told twice (same sub-event, one figure equal, places compatible) is merged;
  article totals sum the merged events (the headline's sum if larger than the body's).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter, is_, itemgetter
from typing import Any, Callable, Sequence

from indexer.entities.dates import GREGORIAN_MONTHS

from .lexicon import EXACT, exact_key, lexicon, person_count, phrase_table, stem
from .numbers import Figure, figure_at, is_number_word
from .roles import roles
from .segments import sentences
from .taxonomy import taxonomy

WORD_OF, START_OF, NORM_OF = itemgetter(0), itemgetter(1), attrgetter("norm")
TRIGGER, CASUALTY, CONFLICT, PAIR_FIRST = 1, 2, 4, 8  # what a word may start, for choosing sentences
COMMA_AT = re.compile("[،,:؛]")
GENERIC = "generic"
BLOODLESS = frozenset(["peaceful_protest"] + taxonomy().expand("strategic_developments"))  # ACLED codes no
# fatalities on these: a toll in their sentence belongs to the violent event told beside them
NONE = "none"
DROP_SENTENCE = frozenset({"history", "statistics", "hypothetical"})
DROP_WEAK = frozenset({"sports", "accident", "health", "court", "crime", "threat"})
TITLE_WIDE = frozenset({"sports", "accident", "health"})  # a headline about a crash sets the article's tone
BOILERPLATE = frozenset({"سمات", "رابط"})  # tag lines and "link to the story" lines repeat the title
EXPLOSIVES = ("remote_explosive_landmine_ied", "shelling_artillery_missile_attack", "grenade")
PERIODS = frozenset(exact_key(w) for w in (
    "عاما", "عام", "سنة", "سنوات", "أعوام", "عقود", "عقدين", "أشهر", "شهرا", "شهور", "اشهر"))
SINCE = exact_key("منذ")
SINCE_REACH = 4  # `منذ أكثر من عام`, `منذ ثلاثة أعوام`
DEATH_WORDS = frozenset(stem(exact_key(w)) for w in ("مصرعه", "حتفه", "نحبهم"))
MEETS = frozenset(exact_key(w) for w in ("لقي", "لقوا", "لقيت"))
COMBINABLE = frozenset(exact_key(w) for w in ("مقتل", "مصرع", "قتل", "قتلى", "استشهاد", "سقوط"))
INTENT_KINDS = frozenset({"arrests", "government_regains_territory", "non_state_actor_overtakes_territory",
                          "armed_clash"})
MAY = exact_key("قد")
BACKGROUND = frozenset(exact_key(w) for w in ("كان", "كانت", "يذكر", "يشار", "سبق", "جدير", "الجدير"))
AIRCRAFT_NOUNS = frozenset(stem(exact_key(w)) for w in ("طائرات", "مروحيات", "مروحية", "الطيران", "مقاتلات"))
AMID_WINDOW = 4
CUMULATIVE_REACH = 5
PERPETRATORS = frozenset(exact_key(w) for w in ("المفجر", "الانتحاري", "المهاجم", "منفذ", "منفذي", "الانتحارية"))
ASIDE_REACH = 2
SAID = frozenset(exact_key(w) for w in ("صرح", "أعلن", "أعلنت", "قال", "قالت", "أفاد", "أفادت", "ذكر", "ذكرت",
                                         "أكد", "أكدت", "أوضح", "أوضحت"))
SAID_REACH = 7
GOVERNMENT_VERBS = SAID | frozenset(exact_key(w) for w in (  # `وردّت واشنطن بغارات`: a capital that answers,
    # accuses or warns is its government (an actor), not where the event happened
    "رد", "ردت", "اتهم", "اتهمت", "حمل", "حملت", "نفى", "نفت", "حذر", "حذرت", "دعا", "دعت", "طالب", "طالبت",
    "هدد", "هددت", "توعد", "توعدت", "أدان", "أدانت", "ندد", "نددت", "رفض", "رفضت", "تعهد", "تعهدت",
    "اعتبر", "اعتبرت", "أبلغ", "أبلغت", "أمر", "أمرت", "قرر", "قررت"))
OF = exact_key("من")
NISBA, NISBA_MIN = "ي", 4
OF_GROUP_REACH = 4  # `من تنظيم / داعش /`
WAS = frozenset(exact_key(w) for w in ("كان", "كانت"))  # `من جهة أخرى` opens its sentence  # `وكانت ...`: told before
BACKGROUND_SCOPE = 12  # `إثر الضربات الجوية التي شنها ...` up to the next comma: the story behind the news
BACKGROUND_OPENERS = ("amid", "cause")
COMES_REACH = 6  # `ويأتي تبادل إطلاق النار بعد`: the word that dates the news by an earlier event
WAR_TOLL_REACH = 4  # `الحرب على القطاع خلفت`: a war's noun, then the verb that gives its toll
MARTYRDOM = frozenset(exact_key(w) for w in (  # a soldier's death announced as martyrdom, no kind told
    "استشهاد", "استشهد", "استشهدوا", "استشهدت", "شهيد", "شهيدا", "شهداء", "شهيدين", "شهيدان"))
NAME_WORDS = 6  # the words of one name with its rank (`الجندي أول محمد علي ياسين العمري`)
EXPOSED = frozenset(exact_key(w) for w in ("تعرض", "تعرضت", "تعرضوا"))
EXPOSED_REACH = 8
NAMING_REACH = 5
NEGATIONS = frozenset(exact_key(w) for w in ("لم", "لن", "عدم", "دون", "بدون"))
NEGATION_REACH = 2
STRIKE_VERBS = frozenset(exact_key(w) for w in (
    "دمر", "دمرت", "شن", "شنت", "قصف", "قصفت", "استهدف", "استهدفت", "هاجم", "هاجمت", "ضرب", "ضربت"))
ADDITION = frozenset(exact_key(w) for w in ("إضافة", "بالإضافة"))
TO = exact_key("إلى")
ANOTHER = {exact_key(w): n for w, n in (("آخر", 1), ("آخرا", 1), ("آخران", 2))}
LAUNCH_SITE_REACH = 2
REMNANTS = stem(exact_key("مخلفات"))
STRIKES = ("air_drone_strike", "shelling_artillery_missile_attack")
IN = exact_key("في")
RELATIVES = frozenset(exact_key(w) for w in ("الذي", "التي", "الذين", "اللذين", "اللتين"))
TERRITORY = frozenset({"non_state_actor_overtakes_territory", "government_regains_territory"})
PLURAL_VERB_ENDINGS = ("هم", "وا", "ون", "هن")
HISTORY_DAYS = 7  # a sentence dated only more than a week before publication tells history
TWO_AFTER = frozenset(exact_key(w) for w in ("اثنين", "اثنان", "اثنتين", "اثنتان"))
ONE_OF_TWO = frozenset(exact_key(w) for w in ("أحدهما", "إحداهما", "كلاهما", "كلتاهما"))
BACK_WINDOW = 6
INHERITABLE_TYPES = frozenset({"battles", "explosions_remote_violence", "violence_against_civilians"})
REDIRECT_WINDOW = 5
MAX_SKIP = 3
NOUN_CASUALTIES = frozenset(exact_key(w) for w in (
    "قتلى", "قتيل", "قتيلا", "قتيلان", "قتيلين", "جرحى", "جريح", "جريحا", "جريحان", "جريحين", "شهيد",
    "شهيدا", "شهداء", "مصابين", "مصابا", "مصاب", "ضحايا", "ضحية", "صرعى", "مصرعهم", "حتفهم", "جثة", "جثث"))
SINGLE_CASUALTIES = frozenset(exact_key(w) for w in (
    "قتيل", "قتيلا", "جريح", "جريحا", "شهيد", "شهيدا", "مصرعه", "حتفه", "مصرعها", "حتفها", "ضحية", "جثة"))
BLAST_VERBS = frozenset(stem(exact_key(w)) for w in ("تفجير", "فجر", "فجرت", "فجروا"))
ATTACK_WORDS = frozenset(stem(exact_key(w)) for w in ("هجوم", "هجمات", "هجمة"))
MARCH_OR_DRONE = stem(exact_key("مسيرات"))  # a march, or (`مسيّرة`, `طائرة مسيرة`) a drone
SHADDA = "\u0651"
DRONE_NEIGHBOURS = 3
NISBA_ENDINGS = ("ي", "يين", "يون", "يه", "يا", "ين")
COMMAS = "،,:؛"
LOCATIVES = frozenset(exact_key(w) for w in (  # `في محافظة كوموش خانة`: a place the gazetteer may not know
    "محافظة", "مدينة", "بلدة", "قرية", "منطقة", "مناطق", "حي", "ولاية", "إقليم", "مديرية", "محور",
    "ريف", "قضاء", "ناحية", "مخيم"))


@dataclass(slots=True)
class Token:
    stem: str
    key: str  # exact form, clitics split, article dropped
    conj: bool
    start: int
    end: int
    after_comma: bool  # punctuation separates it from the token before
    purpose: bool = False  # a glued `ل` that is no article (`لاعتقال`, not `للاعتقال`)


@dataclass(slots=True)
class Trigger:
    index: int  # token index
    subtype: str
    weak: bool
    stem: str
    purpose: bool = False  # written with the lam of purpose (`لاعتقال`)


@dataclass(slots=True)
class Casualty:
    index: int
    kind: str  # killed | injured
    figure: Figure | None


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    first: int  # token range
    last: int
    triggers: list[Trigger] = field(default_factory=list)
    casualties: list[Casualty] = field(default_factory=list)
    context: dict[str, list[int]] = field(default_factory=dict)
    guards: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Found:
    subtype: str
    sentence: int
    index: int
    killed: int | None = None
    injured: int | None = None
    killed_min: int | None = None
    injured_min: int | None = None
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    date: str | None = None
    start: int = 0
    end: int = 0
    in_title: bool = False
    summary: bool = False  # `في هجمات متفرقة`: a lead that sums the events told after it
    generic: bool = False  # its kind came from a generic word (`هجوم`), not a specific one
    background: bool = False  # told as the cause or setting of the news (`ردا على`, `وسط`)
    aside: bool = False  # its sentence opens on another incident (`من جهة أخرى`, `في غضون ذلك`)
    actor1: str = ""  # who did it, where the sentence makes it plain (roles.py)
    actor2: str = ""
    anchored: bool = True  # its own sentence names a place or a day, or gives a figure

    def add(self, kind: str, figure: Figure | None) -> None:
        if figure is None:
            return
        if figure.value is not None:
            current = getattr(self, kind)
            setattr(self, kind, figure.value if current is None else max(current, figure.value))
        low = getattr(self, kind + "_min")
        setattr(self, kind + "_min", figure.at_least if low is None else max(low, figure.at_least))


Spot = tuple[int, int, str, str]  # (start, end, "place"|"actor", id)
Dated = tuple[int, dt.date, str, str]  # (start, day, surface, kind) from the date finder


WordInfo = tuple[str, str, bool, bool]  # (stem, key, joined by a glued `و`/`ف`, lam of purpose)
_infos: dict[str, WordInfo] = {}
INFO_LIMIT = 300_000


def word_info(w: Any) -> WordInfo:
    """What events need of one distinct word, cached by its normalized form."""
    hit = _infos.get(w.norm)
    if hit is None:
        norm, key = w.norm, w.keys[-1]
        joined = len(w.keys) > 1 and norm[:1] in "وف" and (key[:1] != norm[:1] or norm[1:] == key)
        purpose = norm[:1] == "ل" and norm[:2] != "لل" and key[:1] != "ل"
        hit = (stem(norm), _bare(key), joined, purpose)
        if len(_infos) >= INFO_LIMIT:
            _infos.clear()
        _infos[norm] = hit
    return hit


def tokens_of(text: str, scanned: Sequence[tuple[Any, int, int]]) -> list[Token]:
    """The entity scanner's tokens without noise; a lone `و` marks the next token as joined."""
    out: list[Token] = []
    if not scanned:
        return out
    commas = [m.start() for m in COMMA_AT.finditer(text, scanned[0][1], scanned[-1][2])]
    c = 0
    conj = False
    info = _infos.get
    for w, start, end in scanned:
        if w.noise:
            conj = w.norm == "و"
            continue
        word_stem, key, joined, purpose = info(w.norm) or word_info(w)
        comma = False
        while c < len(commas) and commas[c] < start:
            comma = bool(out)
            c += 1
        out.append(Token(word_stem, key, conj or joined, start, end, comma, purpose))
        conj = False
    return out


def _bare(key: str) -> str:
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


class EventFinder:
    """Stateless apart from the data tables: one instance serves every article."""

    def __init__(self) -> None:
        self.table = phrase_table()
        self.taxonomy = taxonomy()
        numbers = lexicon()["numbers"]
        self.fillers = frozenset(exact_key(w) for w in numbers["fillers"])
        self.qualifier_words = frozenset(exact_key(w) for q in numbers["qualifiers"] for w in q.split())
        self.firsts = ((TRIGGER, self.table.starts({"trigger"})), (CASUALTY, self.table.starts({"casualty"})),
                       (CONFLICT, self.table.starts({"context"}, "conflict")))
        self.pair_firsts = frozenset(first for _, (_, pairs) in self.firsts for first, _ in pairs)
        self._flags: dict[str, bool] = {}

    def find(self, text: str, scanned: Sequence[tuple[Any, int, int]], spots: Sequence[Spot],
             dated: Sequence[Dated], published: dt.date | None, title_end: int = 0,
             contains: Callable[[str, str], bool] | None = None) -> tuple[list[dict], int | None, int | None]:
        """(events, killed total, injured total) of TEXT; TITLE_END is where the headline ends."""
        hits = self.hit_starts(scanned)
        if not any(bits & (TRIGGER | CASUALTY) for _, bits in hits):
            return [], None, None  # most articles: no trigger and no casualty word at all
        bounds = sentences(text)
        tokens, sents = self.select(text, scanned, bounds, hits)
        self.scan(tokens, sents)
        self.drones(text, tokens, sents)
        title = [s for s in sents if s.start < title_end]
        if any(s.guards & {"statistics"} or "trial" in s.guards and not s.casualties for s in title):
            return [], None, None  # a monthly toll, a war's count, a trial: no event of its own
        wide = {g for s in title if not any(not t.weak for t in s.triggers) for g in s.guards & TITLE_WIDE}
        for s in sents:
            s.guards |= wide
        old = self.old_sentences(sents, dated, published)
        old |= {n for n in self.old_months(tokens, sents, published)
                if not any(sents[n].start <= d[0] < sents[n].end for d in dated)}
        accident = any("accident" in s.guards and "conflict" not in s.context for s in sents)
        found = self.events(tokens, sents, old, accident)
        if not found:
            return [], None, None
        self.situate(text, found, sents, tokens, spots, dated, published, title_end)
        found = [f for f in found if f.anchored or self.taxonomy.subtypes[f.subtype].parent != "battles"]
        if not found:
            return [], None, None
        merged = merge(found, contains or (lambda a, b: a == b))
        killed, injured = totals(merged, contains)
        return [self.contract(f, text) for f in merged], killed, injured

    # tokens → sentences -------------------------------------------------------------------
    def hit_starts(self, scanned: Sequence[tuple[Any, int, int]]) -> list[tuple[int, int]]:
        """(offset, TRIGGER|CASUALTY|CONFLICT bits) of the words that start such a phrase: one C-level
        dict lookup per word, and a look at the next word only after the first word of a longer phrase."""
        get, info = self._flags.get, _infos.get
        norms = list(map(NORM_OF, map(WORD_OF, scanned)))
        flags = list(map(get, norms))
        if None in flags:  # words not seen before: look each up once
            for i in compress(range(len(flags)), map(is_, flags, repeat(None))):
                if get(norms[i]) is None:
                    self.flag(scanned[i][0])
            flags = list(map(get, norms))
            if None in flags:  # the cache was emptied on the way (it is bounded)
                flags = [self.flag(scanned[i][0]) if f is None else f for i, f in enumerate(flags)]
        out = []
        for i in compress(range(len(flags)), flags):
            flag = flags[i]
            if flag & PAIR_FIRST:
                nxt = next((w for w, _, _ in scanned[i + 1:i + 3] if not w.noise), None)
                bits = self.pair_bits((info(norms[i]) or word_info(scanned[i][0]))[0],
                                      (info(nxt.norm) or word_info(nxt))[0]) if nxt is not None else 0
                flag = (flag & ~PAIR_FIRST) | bits
            if flag:
                out.append((scanned[i][1], flag))
        return out

    def pair_bits(self, first: str, second: str) -> int:
        bits = 0
        for bit, (_, pairs) in self.firsts:
            if (first, second) in pairs:
                bits |= bit
        return bits

    def flag(self, w: Any) -> int:
        found = 0
        if not w.noise:
            word_stem, key, _, _ = word_info(w)
            for bit, (single, pairs) in self.firsts:
                if word_stem in single or EXACT + key in single:
                    found |= bit
            if word_stem in self.pair_firsts:
                found |= PAIR_FIRST
        if len(self._flags) >= INFO_LIMIT:
            self._flags.clear()
        self._flags[w.norm] = found
        return found

    @staticmethod
    def select(text: str, scanned: Sequence[tuple[Any, int, int]], bounds: list[tuple[int, int]],
               hits: list[tuple[int, int]]) -> tuple[list[Token], list[Sentence]]:
        """Every sentence, but tokens only for the headline, the sentences with a trigger, and
        those with a casualty word beside a conflict word or after a trigger's sentence: the
        rest of the article is never looked at again."""
        starts = list(map(START_OF, scanned))
        offsets = [h[0] for h in hits]
        tokens: list[Token] = []
        sents: list[Sentence] = []
        previous = 0
        for n, (start, end) in enumerate(bounds):
            first = len(tokens)
            bits = 0
            for h in range(bisect.bisect_left(offsets, start), bisect.bisect_left(offsets, end)):
                bits |= hits[h][1]
            wanted = bits & TRIGGER or (bits & CASUALTY and (bits & CONFLICT or previous & TRIGGER))
            if n == 0 or wanted:
                lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
                tokens.extend(tokens_of(text, scanned[lo:hi]))
            sents.append(Sentence(start, end, first, len(tokens)))
            previous = bits
        return tokens, sents

    def scan(self, tokens: list[Token], sents: list[Sentence]) -> None:
        stems = [t.stem for t in tokens]
        exacts = [EXACT + t.key for t in tokens]
        at = self.table.at
        by_first = self.table.by_first
        for s in sents:
            trigger_resume = s.first
            casualty_resume = s.first
            if s.first == s.last or tokens[s.first].key in BOILERPLATE:
                continue
            for i in range(s.first, s.last):
                if tokens[i].key == SINCE or tokens[i].key in PERIODS:
                    if self.period_at(tokens, i, s.last):
                        s.guards.add("statistics")
                hits = at(stems, i, s.last) if stems[i] in by_first else []
                if exacts[i] in by_first:
                    hits = at(exacts, i, i + 1) + hits
                if not hits:
                    continue
                best_trigger = None
                for length, labels in hits:
                    for kind, name in labels:
                        if kind == "trigger" and i >= trigger_resume and best_trigger is None:
                            best_trigger = (length, name, ("weak", name) in labels)
                        elif kind == "context":
                            s.context.setdefault(name, []).append(i)
                        elif kind == "guard":
                            s.guards.add(name)
                        elif kind == "casualty" and i >= casualty_resume:
                            s.casualties.append(Casualty(i, name, None))
                            casualty_resume = i + length
                if best_trigger is not None:
                    length, name, weak = best_trigger
                    trigger_resume = i + length
                    if name != NONE:
                        s.triggers.append(Trigger(i, name, weak, stems[i], tokens[i].purpose))
            if war_toll(tokens, s):
                s.guards.add("statistics")
            if "security_incident" in s.context:
                s.guards.discard("accident")  # `حوادث أمنية منفصلة`: attacks, not road accidents

    @staticmethod
    def drones(text: str, tokens: list[Token], sents: list[Sentence]) -> None:
        """`مسيرة` is a march or, written `مسيّرة` or beside an aircraft, a missile or an attack
        word, a drone: `هجوم بمسيّرات` is an air/drone strike, not a protest."""
        for s in sents:
            for t in s.triggers:
                if t.subtype != "peaceful_protest" or t.stem != MARCH_OR_DRONE:
                    continue
                token = tokens[t.index]
                if SHADDA in text[token.start:token.end] or near_context(s, "aircraft", t.index, DRONE_NEIGHBOURS) \
                        or any(o.subtype != "peaceful_protest" and abs(o.index - t.index) <= DRONE_NEIGHBOURS
                               for o in s.triggers):
                    t.subtype, t.weak = "air_drone_strike", False

    @staticmethod
    def period_at(tokens: list[Token], i: int, last: int) -> bool:
        """`منذ 2009`, `في 10 أشهر`, `خلال 30 عاما`: a figure over a period, not one event."""
        key = tokens[i].key
        if key == SINCE:
            nxt = tokens[i + 1].key if i + 1 < last else ""
            if nxt.isdigit():
                return 1900 <= int(nxt) <= 2100
            return any(t.key in PERIODS for t in tokens[i + 1:min(last, i + 1 + SINCE_REACH)])  # `منذ أكثر من عام`
        before = tokens[i - 1].key if i > 0 else ""
        return (before.isdigit() or is_number_word(before)) and not tokens[i].after_comma

    # sentences → events -------------------------------------------------------------------
    @staticmethod
    def old_sentences(sents: list[Sentence], dated: Sequence[Dated], published: dt.date | None) -> set[int]:
        """Sentences whose every written day is more than a week before publication: history."""
        if published is None or not dated:
            return set()
        limit = published - dt.timedelta(days=HISTORY_DAYS)
        starts = [d[0] for d in dated]
        old = set()
        for n, s in enumerate(sents):
            days = [d[1] for d in dated[bisect.bisect_left(starts, s.start):bisect.bisect_left(starts, s.end)]]
            if days and max(days) < limit:
                old.add(n)
        return old

    @staticmethod
    def old_months(tokens: list[Token], sents: list[Sentence], published: dt.date | None) -> set[int]:
        """Sentences that name only an earlier month (`في مايو`, `في أيار`): history."""
        if published is None:
            return set()
        old = set()
        for n, s in enumerate(sents):
            months = [GREGORIAN_MONTHS[t.key] for t in tokens[s.first:s.last] if t.key in GREGORIAN_MONTHS]
            if months and all(0 < (published.month - m) % 12 <= 6 for m in months):
                old.add(n)
        return old

    def events(self, tokens: list[Token], sents: list[Sentence], old: set[int] = frozenset(),
               accident: bool = False) -> list[Found]:
        """ACCIDENT: some sentence of the article tells an accident (a fire, a crash), so a weak
        trigger with no conflict word in its sentence is that accident (`انفجار ... بعد حريق`)."""
        found: list[Found] = []
        last_specific: list[tuple[int, str]] = []  # (sentence, subtype) of resolved attacks
        for n, s in enumerate(sents):
            if s.first == s.last or s.guards & DROP_SENTENCE or tokens[s.first].key in BOILERPLATE or n in old:
                continue
            if tokens[s.first].key in BACKGROUND and not any(t.key == MAY for t in tokens[s.first:s.last]) \
                    and not (tokens[s.first].key in WAS
                             and any(t.key in SAID for t in tokens[s.first + 1:s.first + 1 + SAID_REACH])):
                continue  # `وكانت حماس اعتقلت...`: told as background (`وكان ... قد` narrates the news,
                # `وكان المتحدث صرح بأن` recaps the report of it)
            figures = self.figures(tokens, s)
            kept = self.kept_triggers(s, figures, accident, tokens)
            if not kept:
                aside = any(i - s.first <= ASIDE_REACH for i in s.context.get("aside", ()))
                if figures and found and found[-1].sentence == n - 1 and not aside:
                    for c in figures:  # `وقالت مصادر طبية إن 5 قتلوا`: the previous sentence's event
                        if getattr(found[-1], c.kind) is None:
                            found[-1].add(c.kind, c.figure)
                    continue  # (only `وفي سياق متصل`, `من جهة أخرى`... tell another incident)
                if not self.untriggered(s, figures, tokens):
                    continue
                kept = [Trigger(figures[0].index, GENERIC, False, "")]
            behind = background_span(tokens, s)
            mine = self.resolve(kept, s, n, tokens, figures, last_specific, behind)
            if not figures:
                named = [f for f in mine if only_named(tokens, s, f.index)]
                for f in named:  # still the kind a later `الهجوم` takes
                    if self.taxonomy.subtypes[f.subtype].parent in INHERITABLE_TYPES:
                        last_specific.append((n, f.subtype))
                mine = [f for f in mine if f not in named]
            if not mine:
                continue
            for f in mine:
                f.background = f.index in behind
            if all(t.subtype == GENERIC for t in kept):
                for f in mine:
                    f.generic = True
            self.assign(mine, figures, s)
            aside = any(i - s.first <= ASIDE_REACH for i in s.context.get("aside", ()))
            for f in mine:
                f.summary = "summary" in s.context
                f.aside = aside
                if self.taxonomy.subtypes[f.subtype].parent in INHERITABLE_TYPES:
                    last_specific.append((n, f.subtype))
            found.extend(mine)
        return found

    @staticmethod
    def untriggered(s: Sentence, figures: list[Casualty], tokens: list[Token]) -> bool:
        """`قتل 7 من عناصر داعش`: people killed by armed actors with no attack word is still an event.
        Not a death told only as martyrdom (`استشهاد 3 من جنودها`, `بمعاملة الشهداء`): a soldier's
        death announced with no kind of attack is no event (the labels' rule; the body tells the
        attack when there was one)."""
        exact = any(c.kind == "killed" and c.figure is not None and c.figure.value
                    and tokens[c.index].key not in MARTYRDOM for c in figures)
        return exact and "conflict" in s.context and not s.guards & DROP_WEAK

    @staticmethod
    def assign(mine: list[Found], figures: list[Casualty], s: Sentence) -> None:
        """Each figure to the event whose trigger is nearest before it. Figures of one kind add
        up (`24 ... بينما قتل 2`), except a subset (`بينهم`) or an updated toll (`ارتفع`)."""
        update = "update" in s.context
        subset_at = s.context.get("subset", ())
        given: dict[tuple[int, str], list[Casualty]] = {}
        violent = [f for f in mine if f.subtype not in BLOODLESS] or mine
        for c in figures:
            owner = nearest(violent, c.index)
            given.setdefault((id(owner), c.kind), []).append(c)
        for f in mine:
            for kind in ("killed", "injured"):
                mentions = given.get((id(f), kind), [])
                kept = [c for c in mentions if not any(0 < c.index - i <= 2 for i in subset_at)]
                if not kept:
                    continue
                exact = [c.figure.value for c in kept if c.figure.value is not None]
                if exact:
                    total = max(exact) if update or len(set(exact)) == 1 and len(exact) > 1 else sum(exact)
                    f.add(kind, Figure(total, total, None, 0, 0))
                for c in kept:
                    if c.figure.value is None:
                        f.add(kind, c.figure)

    def kept_triggers(self, s: Sentence, figures: list[Casualty], accident: bool = False,
                      tokens: Sequence[Token] = ()) -> list[Trigger]:
        guarded = bool(s.guards & DROP_WEAK)
        strong = any(not t.weak and t.subtype != GENERIC for t in s.triggers)
        if accident and not strong and "conflict" not in s.context:
            guarded = True
        context = strong or bool(figures) or "conflict" in s.context
        kept = []
        for t in s.triggers:
            if t.subtype == GENERIC or t.weak:
                if guarded or not context:
                    continue
            if any(0 < t.index - i <= AMID_WINDOW for i in s.context.get("amid", ())):
                continue  # `وسط تزايد هجمات`, `في ظل ... غارات`: the campaign around the news, not an event
            if t.subtype == "arrests" and "political" not in s.context:
                continue
            if t.subtype in INTENT_KINDS and t.purpose:
                continue  # `لاعتقال القتلة`, `لتحرير المدينة`: what someone means to do
            if tokens and any(tokens[x].key in NEGATIONS for x in range(max(s.first, t.index - NEGATION_REACH), t.index)):
                continue  # `لم يحدث تبادل لإطلاق النار`, `عدم استهداف`: what did not happen
            if t.subtype in TERRITORY and t.index > s.first and tokens and tokens[t.index - 1].key in RELATIVES:
                continue  # `داعش الذي سيطر على مساحات واسعة`: who the group is, not what happened
            kept.append(t)
        return kept

    def resolve(self, kept: list[Trigger], s: Sentence, n: int, tokens: list[Token],
                figures: list[Casualty], last_specific: list[tuple[int, str]],
                behind: set[int] = frozenset()) -> list[Found]:
        """One Found per sub-event type of the sentence, after the redirect rules."""
        specific = [t for t in kept if t.subtype != GENERIC]
        subtypes: dict[str, int] = {}
        for t in specific:
            sub = self.redirect(t, s, figures, behind)
            if sub not in subtypes:
                subtypes[sub] = t.index
        if not specific:
            t = kept[0]
            if near_context(s, "aircraft", t.index):
                sub = "air_drone_strike"
            elif last_specific and n - last_specific[-1][0] <= 2:
                latest = last_specific[-1][0]  # that sentence's first kind: its main clause
                if latest < n and not figures:
                    return []  # `ويأتي الهجوم في ظل...`: names the event told before, adds none
                sub = next(x for k, x in last_specific if k == latest)
            elif not figures:
                return []  # an attack of unknown kind that harmed no one we can count
            elif "civilians" in s.context:
                sub = "attack"
            else:
                sub = "armed_clash"
            subtypes[sub] = t.index
        if "suicide_bomb" in subtypes and subtypes["suicide_bomb"] not in behind:
            subtypes.pop("remote_explosive_landmine_ied", None)
        if "disrupted_weapons_use" in subtypes:
            for kind in EXPLOSIVES:  # `تفكيك 21 عبوة ناسفة`: the bomb that did not go off
                subtypes.pop(kind, None)
        if "air_drone_strike" in subtypes and "shelling_artillery_missile_attack" in subtypes \
                and all(t.stem.startswith("قصف") or near_after(s, "launch_site", t.index, LAUNCH_SITE_REACH)
                        for t in specific if t.subtype == "shelling_artillery_missile_attack"):
            subtypes.pop("shelling_artillery_missile_attack")  # `غارات ... قصفت`: the strike's bombing;
            # `دمرت موقع إطلاق قذائف`: the strike's target
        if "armed_clash" in subtypes and "air_drone_strike" in subtypes \
                and all(t.stem in AIRCRAFT_NOUNS and not (t.index > s.first and tokens[t.index - 1].key in STRIKE_VERBS)
                        for t in specific if t.subtype == "air_drone_strike"):
            subtypes.pop("air_drone_strike")  # `المعارك التي استخدمت فيها طائرات حربية`: one battle
            # (`ودمر طيران التحالف دبابتين` beside it is a strike of its own)
        for t in kept:
            if specific and t.subtype == GENERIC and near_context(s, "aircraft", t.index, 2):
                subtypes.setdefault("air_drone_strike", t.index)  # `وهاجمت طائرة حربية` beside a battle
        if "remote_explosive_landmine_ied" in subtypes and "shelling_artillery_missile_attack" in subtypes \
                and any(t.stem == REMNANTS for t in specific):
            subtypes.pop("shelling_artillery_missile_attack")  # `انفجار صاروخ من مخلفات الحرب`: ordnance left behind
        if "remote_explosive_landmine_ied" in subtypes \
                and any(not t.weak and t.subtype in STRIKES and t.subtype in subtypes for t in specific) \
                and all(t.weak for t in specific if t.subtype == "remote_explosive_landmine_ied"):
            subtypes.pop("remote_explosive_landmine_ied")  # `غارات ... وسمع دوي انفجارات`: the strike's blasts
        if "remote_explosive_landmine_ied" in subtypes and "grenade" in subtypes \
                and all(t.weak for t in specific if t.subtype == "grenade"):
            subtypes.pop("grenade")  # `انفجار قنبلة`: a bomb, not a hand grenade unless said (`قنبلة يدوية`)
        protest = [k for k in subtypes if self.taxonomy.subtypes[k].parent == "protests"]
        if protest and "arrests" in subtypes:
            subtypes.pop("arrests")
        return [Found(sub, n, i) for sub, i in subtypes.items()]

    def redirect(self, t: Trigger, s: Sentence, figures: list[Casualty], behind: set[int] = frozenset()) -> str:
        """ACLED's finer kind of T from the words around it; BEHIND (the background clause) is
        another event's, so its suicide bomber does not make this blast a suicide bombing."""
        sub = t.subtype
        if sub in ("shelling_artillery_missile_attack", "air_drone_strike"):
            if near_context(s, "interception", t.index):
                return "disrupted_weapons_use"
            if sub == "shelling_artillery_missile_attack" and near_context(s, "aircraft", t.index):
                return "air_drone_strike"
        if sub == "remote_explosive_landmine_ied":
            if any(i not in behind for i in s.context.get("suicide", ())):
                return "suicide_bomb"
            if t.stem in BLAST_VERBS and not figures and near_context(s, "houses", t.index, 3):
                return "looting_property_destruction"
        if sub == "armed_clash" and t.stem in ATTACK_WORDS and "civilians" in s.context:
            return "attack"  # `هجوم مسلح على حافلة`: armed men against unarmed people
        if sub == "non_state_actor_overtakes_territory":
            if near_context(s, "goods", t.index, 3):
                return "looting_property_destruction"  # `استولوا على المواد الغذائية والماشية`
            if near_context(s, "government_forces", t.index, 8):
                return "government_regains_territory"
        if sub == "peaceful_protest":
            if "lethal_force" in s.context or any(c.kind == "killed" for c in figures):
                return "excessive_force_against_protesters"
            if "protest_violence" in s.context:
                return "violent_demonstration"
            if "dispersal" in s.context:
                return "protest_with_intervention"
        return sub

    # figures ------------------------------------------------------------------------------
    def figures(self, tokens: list[Token], s: Sentence) -> list[Casualty]:
        """The casualty mentions of S with a figure (exact or vague); combined ones are skipped."""
        out = []
        window = tokens[s.first:s.last]
        keys = [(t.key, t.conj) for t in window]
        kinds = {c.index - s.first: c.kind for c in s.casualties}
        death_later = [k for k, t in enumerate(window) if t.stem in DEATH_WORDS]
        cumulative = s.context.get("cumulative", ())
        taken: set[tuple[str, int, int]] = set()
        skip_next = False
        for c in s.casualties:
            if skip_next:
                skip_next = False
                continue
            if any(0 < c.index - i <= CUMULATIVE_REACH for i in cumulative):
                continue  # `الحرب التي أودت بحياة 200 ألف`: the war's toll, not an event's
            k = c.index - s.first
            if k + 1 < len(keys) and keys[k + 1][0] in PERPETRATORS:
                continue  # `جثة المفجر`, `مقتل منفذ الهجوم`: the attacker is no victim
            if keys[k][0] in MEETS and not any(d > k for d in death_later):
                continue  # `لقي ترحيباً`: only `لقي ... مصرعه` counts a death
            figure, combined = self.figure_for(keys, k, c.kind, kinds, window)
            if combined:
                skip_next = True
                continue
            if figure is not None and figure.value is not None and figure.end > figure.start:
                if (c.kind, figure.start, figure.end) in taken:
                    continue  # `لقي 6 أشخاص مصرعهم`: both words read the same 6
                taken.add((c.kind, figure.start, figure.end))
            if figure is not None:
                out.append(Casualty(c.index, c.kind, figure))
        return out

    def people(self, window: list[Token], j: int) -> int | None:
        return person_count(window[j].key, window[j].stem)

    def figure_for(self, keys: list[tuple[str, bool]], k: int, kind: str, kinds: dict[int, str],
                   window: list[Token]) -> tuple[Figure | None, bool]:
        key = keys[k][0]
        if self.people(window, k) == 2:
            return Figure(2, 2, None, k, k + 1), False
        j = k + 1
        skipped = 0
        while j < len(keys) and skipped < MAX_SKIP and (kinds.get(j) == kind or keys[j][0] in self.fillers):
            j += 1
            skipped += 1
        if j == k + 1 and j < len(keys) and kinds.get(j) not in (None, kind) and keys[j][1] and key in COMBINABLE \
                and not window[j].after_comma:
            return None, True  # `مقتل وإصابة 20`: one figure for both, neither can take it
        noun = key in NOUN_CASUALTIES
        if noun:
            found = self.backward(keys, k, window, kinds)
            if found is not None:
                return found, False
        if j < len(keys) and not window[j].after_comma and not keys[j][1]:
            figure = figure_at(keys, j)
            if figure is not None:
                return self.coordinated(keys, figure, kinds, window), False
            if keys[j][0] in ANOTHER:  # `مقتل شرطي وإصابة آخر`: one more person; `وجرح آخران`: two
                return Figure(ANOTHER[keys[j][0]], ANOTHER[keys[j][0]], None, j, j + 1), False
            people = self.people(window, j)
            if people == 1:
                listed = self.named_list(keys, j, kinds, window)
                if listed > 1:
                    return Figure(listed, listed, None, j, j + 1), False
            if people:
                return self.coordinated(keys, Figure(people, people, None, j, j + 1), kinds, window), False
            if people is None:
                chain = nisba_chain(keys, j, window, kinds)
                if chain:
                    return chain, False
            if people == 0:
                for x in (j + 1, j + 2, j + 3):  # `عسكريين تركيين اثنين`, `مقيمين أحدهما`: two after all
                    if x < len(keys) and (keys[x][0] in TWO_AFTER or keys[x][0] in ONE_OF_TWO):
                        return Figure(2, 2, None, j, x + 1), False
                return Figure(None, 2, None, j, j + 1), False
        if not noun:
            found = self.backward(keys, k, window, kinds)
            if found is not None:
                return found, False
            found = self.exposed(keys, k, window, kinds)
            if found is not None:
                return found, False
        if key in SINGLE_CASUALTIES:
            return Figure(1, 1, None, k, k + 1), False
        return None, False

    def named_list(self, keys: list[tuple[str, bool]], j: int, kinds: dict[int, str], window: list[Token]) -> int:
        """People named one by one after a casualty word, each behind a rank or a role (`استشهاد
        العريف أحمد ...، والجندي أول محمد ...، والجندي أول حسن ...` = 3): a comma followed by
        anything but `و` and another person ends the list."""
        count, gap = 1, 0
        for x in range(j + 1, len(keys)):
            if x in kinds:
                break
            if window[x].after_comma:
                if not (keys[x][1] and self.people(window, x) == 1):
                    break
                count += 1
                gap = 0
                continue
            gap += 1
            if gap > NAME_WORDS:
                break
        return count

    def exposed(self, keys: list[tuple[str, bool]], k: int, window: list[Token], kinds: dict[int, str]) -> Figure | None:
        """`تعرض (7) سبعة من رجال حرس الحدود للإصابة`: the figure after `تعرض`, before the injury."""
        for v in range(k - 1, max(-1, k - 1 - EXPOSED_REACH), -1):
            if v in kinds or window[v + 1].after_comma:
                return None
            if keys[v][0] in EXPOSED:
                return figure_at(keys, v + 1) if v + 1 < k else None
        return None

    def backward(self, keys: list[tuple[str, bool]], k: int, window: list[Token],
                 kinds: dict[int, str]) -> Figure | None:
        """`خمسة أشخاص قتلوا`, `32 قتيلا`, `جنديين تركيين وحارسا مسلحا قتلوا`: people before the word."""
        start = k
        while start > 0 and k - start < BACK_WINDOW and not window[start].after_comma:
            prev = start - 1
            if prev in kinds:
                break  # `قتيلين وثلاثة جرحى`: the words before belong to another casualty word
            key = keys[prev][0]
            if self.people(window, prev) is not None or is_number_word(key) or key in self.qualifier_words \
                    or key.endswith(NISBA_ENDINGS):
                start = prev
                continue
            whose = self.of_group(keys, prev, window, kinds)
            if whose is None:
                break
            start = whose  # `7 عناصر من تنظيم داعش قتلوا`: the people, then whose they are
        if start == k:
            return None
        while start < k and keys[start][0] not in self.qualifier_words and not is_number_word(keys[start][0]) \
                and not self.people(window, start):
            start += 1  # a nisba first (`أمريكيين`) belongs to the noun before the window
        if start >= k:
            return None
        figure = figure_at(keys, start)
        if figure is None:
            people = self.people(window, start)
            if not people:
                return None
            if people == 1 and (start != k - 1 or keys[k][0].endswith(PLURAL_VERB_ENDINGS)):
                return None  # `الإرهابي مصرعهم`: one noun before a plural verb is not its subject
            figure = Figure(people, people, None, start, start + 1)
        figure = self.coordinated(keys, figure, {}, window, limit=k)
        return figure

    def of_group(self, keys: list[tuple[str, bool]], at: int, window: list[Token], kinds: dict[int, str]) -> int | None:
        """The people or number before `من` when token AT ends a short `من ...` phrase (`عناصر من
        تنظيم داعش`), else None."""
        for x in range(at, max(0, at - OF_GROUP_REACH), -1):
            if x in kinds or window[x].after_comma:
                return None
            if keys[x][0] == OF:
                before = x - 1
                if self.people(window, before) is not None or keys[before][0].isdigit():
                    return before
                return None
        return None

    def coordinated(self, keys: list[tuple[str, bool]], figure: Figure, kinds: dict[int, str],
                    window: list[Token], limit: int | None = None) -> Figure:
        """`خمسة عسكريين أميركيين ومقاول أميركي آخر`, `عشرة من رجال الأمن إضافة إلى ثلاثة من العاملين`:
        people joined to a figure count too."""
        if figure.value is None:
            return figure
        end = len(keys) if limit is None else limit
        total = figure.value
        j = figure.end
        for _ in range(5):
            if j >= end or j in kinds or window[j].after_comma:
                break
            key, conj = keys[j]
            if key in ADDITION:
                j += 2 if j + 1 < end and keys[j + 1][0] == TO else 1
                more = figure_at(keys, j) if j < end else None
                if more is not None and more.value is not None and more.end <= end:
                    total += more.value
                    j = more.end
                    continue
                break
            if conj:
                more = figure_at(keys, j)
                if more is not None and more.value is not None and more.end <= end:
                    total += more.value
                    j = more.end
                    continue
                people = self.people(window, j)
                if people:
                    total += people
                    j += 1
                    continue
                break
            j += 1
        if total == figure.value:
            return figure
        return Figure(total, total, figure.qualifier, figure.start, j)

    # place, actors, date ------------------------------------------------------------------
    def situate(self, text: str, found: list[Found], sents: list[Sentence], tokens: list[Token], spots: Sequence[Spot],
                dated: Sequence[Dated], published: dt.date | None, title_end: int) -> None:
        spot_starts = [sp[0] for sp in spots]
        date_starts = [d[0] for d in dated]

        token_starts = [t.start for t in tokens]

        def speaks(start: int) -> bool:
            """The place at START is the subject of a government's verb (`اتهمت طهران`)."""
            i = bisect.bisect_right(token_starts, start) - 1
            if i >= 0 and tokens[i].start < start:  # the name is glued to a clitic: `بطهران`
                return False
            return i > 0 and not tokens[i].after_comma and tokens[i - 1].key in GOVERNMENT_VERBS

        def ids(n: int, kind: str) -> list[str]:
            s = sents[n]
            lo = bisect.bisect_left(spot_starts, s.start)
            hi = bisect.bisect_left(spot_starts, s.end)
            out: list[str] = []
            for sp in spots[lo:hi]:
                if sp[2] == kind and sp[3] not in out and not (kind == "place" and speaks(sp[0])):
                    out.append(sp[3])
            return out

        title_places = ids(0, "place") if sents and sents[0].start < title_end else []
        for f in found:
            s = sents[f.sentence]
            f.start, f.end = s.start, s.end
            f.in_title = s.start < title_end
            f.actors = ids(f.sentence, "actor")
            if f.actors and s.first < s.last:
                lo, hi = bisect.bisect_left(spot_starts, s.start), bisect.bisect_left(spot_starts, s.end)
                spans = [(sp[0], sp[1], sp[3]) for sp in spots[lo:hi] if sp[2] == "actor"]
                f.actor1, f.actor2 = roles(text, tokens[s.first:s.last], spans, f.index - s.first)
            f.places = ids(f.sentence, "place")
            if not f.places and f.sentence > 0:
                f.places = ids(f.sentence - 1, "place")
            if not f.places and f.sentence + 1 < len(sents):
                f.places = ids(f.sentence + 1, "place")
            if not f.places:
                f.places = list(title_places)
            f.date = event_day(dated, date_starts, s.start, s.end, published)
            f.anchored = bool(f.in_title or f.killed_min is not None or f.injured_min is not None
                              or bisect.bisect_left(date_starts, s.start) < bisect.bisect_left(date_starts, s.end)
                              or ids(f.sentence, "place")
                              or any(t.key in LOCATIVES for t in tokens[s.first:s.last]))

    def contract(self, f: Found, text: str) -> dict:
        kind = self.taxonomy.subtypes[f.subtype]
        return {
            "type": kind.parent, "subtype": f.subtype, "label_ar": kind.label_ar, "label_en": kind.label_en,
            "text": text[f.start:f.end], "start": f.start, "end": f.end, "date": f.date,
            "places": f.places, "actors": f.actors, "actor1": f.actor1, "actor2": f.actor2,
            "killed": f.killed, "injured": f.injured,
            "killed_min": f.killed_min, "injured_min": f.injured_min,
        }


def background_span(tokens: list[Token], s: Sentence) -> set[int]:
    """Token indexes in a clause that tells what the news happened amid or in answer to: from
    `وسط`, `إثر`, `ردا على`... to the next punctuation; after `يأتي ... بعد` (`ويأتي ذلك غداة`),
    to the end of the sentence."""
    out: set[int] = set()
    afters = sorted(s.context.get("after", []) + s.context.get("cause", []))
    for i in s.context.get("comes", ()):
        j = next((a for a in afters if i < a <= i + COMES_REACH), None)
        if j is not None:  # `ويأتي الهجوم بعد أقل من أسبوع من تفجير...`: the rest of the sentence
            out.update(range(j + 1, s.last))  # tells the earlier event the news is dated by
    for name in BACKGROUND_OPENERS:
        for i in s.context.get(name, ()):
            for j in range(i + 1, min(s.last, i + 1 + BACKGROUND_SCOPE)):
                if tokens[j].after_comma:
                    break
                out.add(j)
    return out


def only_named(tokens: list[Token], s: Sentence, index: int) -> bool:
    """In a sentence with no figure, the event at INDEX is only named, nothing told of it: what a
    sentence condemns (`استنكر حادثة تفجير المسجد`, `تفجير المسجد عمل إجرامي`), or where casualties of a relative
    clause were hurt (`المصابين الذين جرحوا في معارك عدن`)."""
    if "condemn" in s.context:  # `أدان التفجير`, `تفجير المسجد عمل إجرامي`
        return True
    if index - 1 <= s.first or tokens[index - 1].key != IN:
        return False
    wounded = [c.index for c in s.casualties]
    return any(tokens[r].key in RELATIVES and any(r < w < index for w in wounded)
               for r in range(max(s.first, index - NAMING_REACH), index))


def war_toll(tokens: list[Token], s: Sentence) -> bool:
    """`الحرب خلفت 2200 قتيل`, `النزاع أسفر عن مقتل`: the toll of a whole war is a statistic (it
    re-counts the events reported one by one and has no day or place of its own), not an event."""
    tolls = s.context.get("toll_verb", ())
    return any(i < v <= i + WAR_TOLL_REACH and not gap_has_comma(tokens, i, v)
               for i in s.context.get("war", ()) for v in tolls)


def nisba_chain(keys: list[tuple[str, bool]], j: int, window: list[Token], kinds: dict[int, str]) -> Figure | None:
    """`إصابة باكستاني وهندي`: nationalities joined by `و` after a casualty word are people, one each
    (a lone nisba may be an adjective, so two at least)."""
    end = j
    while end < len(keys) and end not in kinds and keys[end][0].endswith(NISBA) and len(keys[end][0]) >= NISBA_MIN \
            and (end == j or keys[end][1] and not window[end].after_comma):
        end += 1
    count = end - j
    return Figure(count, count, None, j, end) if count >= 2 else None


def gap_has_comma(tokens: list[Token], a: int, b: int) -> bool:
    """Whether punctuation stands anywhere between token A and token B."""
    return any(tokens[x].after_comma for x in range(a + 1, b + 1))


def near_context(s: Sentence, name: str, index: int, window: int = REDIRECT_WINDOW) -> bool:
    return any(abs(i - index) <= window for i in s.context.get(name, ()))


def near_after(s: Sentence, name: str, index: int, window: int) -> bool:
    """Whether a NAME context word stands at most WINDOW tokens before INDEX."""
    return any(0 < index - i <= window for i in s.context.get(name, ()))


def nearest(mine: list[Found], index: int) -> Found:
    """The event whose trigger is the closest before INDEX, else the closest after it."""
    before = [f for f in mine if f.index <= index]
    if before:
        return max(before, key=lambda f: f.index)
    return min(mine, key=lambda f: f.index)


def event_day(dated: Sequence[Dated], starts: list[int], start: int, end: int,
              published: dt.date | None) -> str | None:
    """The first day written in the sentence, else the last one written before it, else the
    publication day. Days after publication (announcements) are never an event's day."""
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    for d in dated[lo:hi]:
        if published is None or d[1] <= published:
            return d[1].isoformat()
    for d in reversed(dated[:lo]):
        if published is None or d[1] <= published:
            return d[1].isoformat()
    return published.isoformat() if published else None


def same_places(a: Found, b: Found, contains: Callable[[str, str], bool]) -> bool:
    if a.places and b.places:
        return any(contains(p, q) or contains(q, p) for p in a.places for q in b.places)
    return True


def compatible(a: Found, b: Found, contains: Callable[[str, str], bool]) -> bool:
    """The same event told twice: one figure equal and none different, in the same place (a
    figure of one, common to many events, also needs the place); a generic word's kind yields."""
    if a.subtype != b.subtype and not (a.generic or b.generic):
        return False
    same = 0
    for kind in ("killed", "injured"):
        x, y = getattr(a, kind), getattr(b, kind)
        if x is not None and y is not None:
            if x != y:
                return False
            same = max(same, x)
    if not same:
        return False
    return same > 1 and not (a.generic or b.generic) or same_places(a, b, contains)


def merge(found: list[Found], contains: Callable[[str, str], bool]) -> list[Found]:
    """One event told twice (headline and lead, or a recap) is one event."""
    out: list[Found] = []
    counted: list[Found] = []  # only events with a figure can be the same as another
    for f in found:
        if f.killed is None and f.injured is None:
            out.append(f)
            continue
        for g in counted:
            if compatible(g, f, contains):
                g.background = g.background and f.background
                if g.generic and not f.generic:
                    g.subtype, g.generic = f.subtype, False
                for kind in ("killed", "injured", "killed_min", "injured_min"):
                    x, y = getattr(g, kind), getattr(f, kind)
                    if y is not None and (x is None or y > x):
                        setattr(g, kind, y)
                g.places += [p for p in f.places if p not in g.places]
                g.actors += [a for a in f.actors if a not in g.actors]
                if not g.actor1:
                    g.actor1, g.actor2 = f.actor1, f.actor2
                if g.in_title and not f.in_title:  # quote the body's sentence, not the headline
                    g.start, g.end, g.in_title, g.sentence = f.start, f.end, False, f.sentence
                    g.summary, g.aside = f.summary, f.aside  # one incident of the body, told first in the headline
                break
        else:
            out.append(f)
            counted.append(f)
    out = [f for f in out if not f.background]  # a cause or setting the article does not tell itself
    told = {f.subtype for f in out if not f.in_title}
    out = [f for f in out if not (f.in_title and f.killed_min is None and f.injured_min is None and f.subtype in told)]
    suicides = [f for f in out if f.subtype == "suicide_bomb"]
    if suicides:  # the suicide bomber's charge told as a blast elsewhere in the story, or the
        # bombed building (`صورة منفذ تفجير مسجد`: the mosque's bombing is no property destruction)
        out = [f for f in out if not (f.subtype in ("remote_explosive_landmine_ied", "looting_property_destruction")
                                      and f.killed is None and f.injured is None
                                      and any(same_places(f, g, contains) for g in suicides))]
    return out


def totals(found: list[Found], contains: Callable[[str, str], bool] | None = None
           ) -> tuple[int | None, int | None]:
    """Killed and injured of the article. Events of one kind in one place are one incident told
    several times (its largest figure counts); incidents add up. The headline's figure, or a
    lead's that sums the story (`في هجمات متفرقة`), wins if it is larger."""
    contains = contains or (lambda a, b: a == b)
    out = []
    for kind in ("killed", "injured"):
        heads = [getattr(f, kind) for f in found if (f.in_title or f.summary) and getattr(f, kind) is not None]
        groups: list[tuple[Found, int]] = []
        for f in found:
            value = getattr(f, kind)
            if f.in_title or f.summary or value is None:
                continue
            for n, (g, best) in enumerate(groups):
                if not f.aside and g.subtype == f.subtype and same_places(g, f, contains):
                    groups[n] = (g, max(best, value))
                    break
            else:
                groups.append((f, value))
        if not heads and not groups:
            out.append(None)
        else:
            out.append(max(sum(v for _, v in groups), max(heads, default=0)))
    return out[0], out[1]


_finder: EventFinder | None = None


def get_finder() -> EventFinder:
    global _finder
    if _finder is None:
        _finder = EventFinder()
    return _finder
