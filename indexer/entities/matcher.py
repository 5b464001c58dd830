"""Finding gazetteer and actor-book names in text: a token trie over normalized tokens.

Names are matched as token sequences, never as substrings, so `الزور` inside a word or `عمر`
inside `العمر` cannot fire. Keys are the shared analyzer's normalized tokens; a text token
also offers the analyzer's exact term, so variant spellings it folds (`الأميركية` →
`الأمريكية`) find the canonical name. Only the first token of a candidate may carry glued
proclitics (`بدير الزور`, `ولدمشق`, `للحسكة`); the article is part of a name (`القاعدة` the
group is not `قاعدة` a base, `حماس` is not `الحماس`), so it is never dropped — nisba
adjectives are listed with and without it instead. Plural nisba names match in both cases
(`الحوثيون` / `الحوثيين`). Leftmost-longest wins: `دير الزور` over `الزور`, `وزارة الدفاع
الأمريكية` over `الأمريكية`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from indexer.analysis import normalize, tokenize

from .tokens import Word, clitic_heads, surface_after

PAYLOAD = ""
DEFAULT_PLACE_CUES = (
    "مدينة", "محافظة", "بلدة", "قرية", "ميناء", "مطار", "قاعدة", "حقل", "مخيم", "معبر",
    "منطقة", "ريف", "حي", "ناحية", "قضاء", "مديرية", "ولاية", "إقليم", "جزيرة", "سد",
    "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "وسط", "مدينتي", "محافظتي",
    "محافظات", "مدن", "بلدات", "قرى", "مناطق", "مديريات", "أحياء", "أطراف", "ضواحي", "جبهة",
    "محيط", "العاصمة", "عاصمة",
)
# Surfaces that a nisba would match but that are another word: `اليمنى` is "the right (hand)",
# though some papers also write the Yemeni adjective so.
NOT_NISBA = frozenset({"اليمنى", "يمنى"})
# Inside an actor's name a place name counts only after a word that describes (`التحالف بقيادة
# الولايات المتحدة`, `شرطة دبي`, `حكومة الوحدة في طرابلس`); normalized forms.
INSIDE_PLACE_CUES = frozenset({"بقياده", "تقوده", "تقودها", "في", "شرطه", "بلديه", "اماره", "محافظ",
                               "امير", "حكومه", "مطار", "ميناء", "سفاره"})
# Surfaces whose diacritics show a verb, not the place the letters spell (`تدمّر` destroys; the
# city is `تدمر`): normalization drops the marks, so the check is on the text as written.
NOT_PLACE_SURFACES = frozenset({"تدمّر", "تُدمّر", "تدمِّر", "تُدمِّر", "يدمّر"})
DEFAULT_ACTOR_CUES = (
    "الرئيس", "رئيس", "الجنرال", "الوزير", "وزير", "الشيخ", "الأمير", "الملك", "الزعيم",
    "القائد", "قائد", "زعيم", "المتحدث", "السيد", "العقيد", "اللواء", "العميد", "النائب",
    "السفير", "المبعوث", "الأمين", "الناطق", "الفريق", "المشير", "الدكتور", "جماعة", "حركة",
    "تنظيم", "ميليشيا", "ميليشيات", "قوات", "حزب",
)
NISBA_ENDINGS = ("يتين", "يتان", "يين", "يون", "يان", "يات", "يه", "ي")
NISBA_FORMS = ("ي", "يه", "يون", "يين", "يان", "يتان", "يتين", "يات")


@dataclass(frozen=True, slots=True)
class Target:
    """What a surface form names. needs_cue: the name is also a common word; strict: so
    common that only a cue right before this very mention makes it a name; context: an
    alias that names the place only where the article names its country (`أمانة العاصمة`);
    since/until: a title (`ولي العهد`) that names this holder only on those dates (until
    exclusive, empty for the holder now); local: a bare title, valid in its country's press."""

    kind: str
    id: str
    adjective: bool = False
    needs_cue: bool = False
    cues: frozenset[str] = frozenset()
    strict: bool = False
    context: bool = False
    since: str = ""
    until: str = ""
    local: bool = False


@dataclass(slots=True)
class Match:
    targets: tuple[Target, ...]
    first: int
    last: int
    start: int
    end: int
    mention: str
    cued: bool
    before: frozenset[str]
    inside: list[tuple[Target, str]] = field(default_factory=list)
    after: str = ""  # the normalized word right after the name (`أربيل، عاصمة الإقليم`)


def form_keys(form: str) -> tuple[str, ...]:
    """The normalized token sequence of a surface form (lone clitics and marks dropped)."""
    keys = []
    for surface, _, _ in tokenize(form):
        key = normalize(surface)
        if key and not (len(key) == 1 and key in "وفبلك"):
            keys.append(key)
    return tuple(keys)


def plural_variants(key: str) -> tuple[str, ...]:
    """Nisba plurals in both cases: `الحوثيون` ⇄ `الحوثيين`."""
    if len(key) > 4 and key.endswith("يون"):
        return key, key[:-3] + "يين"
    if len(key) > 4 and key.endswith("يين"):
        return key, key[:-3] + "يون"
    return (key,)


def nisba_forms(adjective: str) -> list[str]:
    """Every gender/number of a nisba adjective, with and without the article.

    `السوري` → سوري، السورية، سوريون، السوريين… The bare masculine (`سوري`) is kept: `جندي
    أمريكي` is the common indefinite use.
    """
    word = normalize(adjective.strip())
    if word.startswith("ال"):
        word = word[2:]
    for ending in NISBA_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            base = word[: -len(ending)]
            break
    else:
        return [normalize(adjective)]
    forms = []
    for suffix in NISBA_FORMS:
        forms.append("ال" + base + suffix)
        forms.append(base + suffix)
    return forms


def cue_keys(words: Iterable[str]) -> frozenset[str]:
    out = set()
    for w in words:
        for key in form_keys(w):
            out.add(key)
    return frozenset(out)


class Matcher:
    """A token trie of every surface form; find() returns leftmost-longest matches."""

    def __init__(self, forms: Iterable[tuple[str, Target]],
                 place_cues: Iterable[str] = DEFAULT_PLACE_CUES,
                 actor_cues: Iterable[str] = DEFAULT_ACTOR_CUES) -> None:
        self.root: dict = {}
        self.adjectives: dict[str, Target] = {}
        self.place_cues = cue_keys(place_cues)
        self.actor_cues = cue_keys(actor_cues)
        for form, target in forms:
            self.add(form, target)
        self._starts: dict[str, tuple[tuple[str, int, bool], ...]] = {}

    def add(self, form: str, target: Target) -> None:
        if target.adjective:
            sequences = [(key,) for key in nisba_forms(form)]
            for (key,) in sequences:
                self.adjectives.setdefault(key, target)
        else:
            keys = form_keys(form)
            if not keys:
                return
            sequences = [keys[:-1] + (last,) for last in plural_variants(keys[-1])]
        for keys in sequences:
            node = self.root
            for key in keys:
                node = node.setdefault(key, {})
            payload = node.setdefault(PAYLOAD, [])
            if target not in payload:
                payload.append(target)

    def starts(self, w: Word) -> tuple[tuple[str, int, bool, bool], ...]:
        """The clitic-stripped heads of W that begin at least one name (cached per norm)."""
        root = self.root
        hit = tuple(h for h in w.name_heads if h[0] in root)
        if len(self._starts) > 300_000:
            self._starts.clear()
        self._starts[w.norm] = hit
        return hit

    def find(self, text: str, tokens: Sequence[tuple[Word, int, int]]) -> list[Match]:
        """Leftmost-longest matches over the non-noise tokens of TEXT (scan() output)."""
        toks = [t for t in tokens if not t[0].noise]
        n = len(toks)
        root = self.root
        cached = self._starts.get
        matches: list[Match] = []
        i = -1
        resume = 0
        for w, _, _ in toks:
            i += 1
            if i < resume:
                continue
            heads = cached(w.norm)
            if heads is None:
                heads = self.starts(w)
            if not heads:
                continue
            best = None
            for key, stripped, restored, weak in heads:
                stack = [(root[key], i + 1)]
                while stack:
                    node, j = stack.pop()
                    payload = node.get(PAYLOAD)
                    if payload and (j - i > 1 or not weak):
                        rank = (j - i, -stripped)
                        if best is None or rank > best[0]:
                            best = (rank, j, payload, stripped, restored)
                    if j < n:
                        for k in toks[j][0].keys:
                            child = node.get(k)
                            if child is not None:
                                stack.append((child, j + 1))
            if best is not None:
                _, j, payload, stripped, restored = best
                match = self.make_match(text, toks, i, j, payload, stripped, restored)
                if (match.mention in NOT_NISBA and all(t.adjective for t in payload)) or (
                        match.mention in NOT_PLACE_SURFACES and all(t.kind == "place" for t in payload)):
                    continue
                matches.append(match)
                resume = j
        return matches

    def make_match(self, text: str, toks: Sequence[tuple[Word, int, int]], i: int, j: int,
                   payload: list[Target], stripped: int, restored: bool) -> Match:
        first_surface = text[toks[i][1]:toks[i][2]]
        head = surface_after(first_surface, stripped)
        if restored:
            head = "ال" + surface_after(first_surface, stripped + 1)
        start = toks[i][2] - len(surface_after(first_surface, stripped))
        end = toks[j - 1][2]
        if j - i == 1:
            mention = head
        else:
            rest = text[toks[i][2]:end]
            if all(ch.isalnum() or ch in " -\u0640\u00a0" or not normalize(ch) for ch in rest):
                mention = head + rest
            else:
                mention = " ".join([head] + [text[s:e] for _, s, e in toks[i + 1:j]])
        before = frozenset(h[0] for h in clitic_heads(toks[i - 1][0].norm)) if i else frozenset()
        match = Match(tuple(payload), i, j - 1, start, end, mention, self.cued(before, payload), before,
                      after=toks[j][0].norm if j < len(toks) else "")
        if any(t.kind == "actor" for t in payload) and j - i > 1:
            self.places_inside(text, toks, i, j, match)
        return match

    def places_inside(self, text: str, toks: Sequence[tuple[Word, int, int]], i: int, j: int,
                      match: Match) -> None:
        """Places named inside an actor's name: a nisba (`الجيش الأمريكي`) or a place name
        (`التحالف الدولي بقيادة الولايات المتحدة`, `شرطة دبي`); a common-word name only with its
        cue right before it (`بقيادة المملكة`)."""
        root = self.root
        p = i + 1
        while p < j:
            w, s, e = toks[p]
            adjective = next((self.adjectives[k] for k in w.keys if k in self.adjectives), None)
            if adjective is not None:
                match.inside.append((adjective, text[s:e]))
                p += 1
                continue
            best = None
            for key in w.keys:
                node, q = root.get(key), p + 1
                while node is not None:
                    places = [t for t in node.get(PAYLOAD, ()) if t.kind == "place" and not t.adjective]
                    if places:
                        best = (q, places)
                    if q >= j:
                        break
                    node = next((node[k] for k in toks[q][0].keys if k in node), None)
                    q += 1
            if best is None:
                p += 1
                continue
            q, places = best
            before = frozenset(h[0] for h in clitic_heads(toks[p - 1][0].norm))
            if not before & INSIDE_PLACE_CUES:  # `فيلق القدس`, `قوات سوريا الديمقراطية`: a proper name
                p = q
                continue
            for t in places:
                if not t.needs_cue or before & (self.place_cues | t.cues):
                    match.inside.append((t, " ".join(text[a:b] for _, a, b in toks[p:q])))
                    break
            p = q

    def cued(self, before: frozenset[str], payload: list[Target]) -> bool:
        """Does the word before the name make a common-word name a name (`مدينة عدن`)?"""
        if not before or not any(t.needs_cue for t in payload):
            return False
        for t in payload:
            cues = self.place_cues if t.kind == "place" else self.actor_cues
            if before & cues or before & t.cues:
                return True
        return False
