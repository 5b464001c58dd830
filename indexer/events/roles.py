"""actor1/actor2 of an event, only where its sentence makes the roles plain (ACLED: actor1 did it,
actor2 had it done to them; both empty rather than a guess).

An event's `actors` are every armed group or force its sentence names, which says nothing of who
did what to whom. Arabic news prose marks the doer in a few unambiguous ways, read on the tokens
the event finder already has and the actors' character spans:
- the subject right after an attack verb, possibly after a force noun (`شنت طائرات التحالف`,
  `سيطر مسلحو تنظيم داعش`), or right before it (`الحوثيون قد خطفوا`);
- the doer joined to the attack noun (`بقصف لميليشيا الحوثي`, `غارة لطيران التحالف`) or named by
  an agent phrase (`هجوم شنه تنظيم داعش`, `على يد`, `برصاص`, `من قبل`);
- with a doer found, the target behind a target cue (`على مواقع لـ`, `ضد`, `مقتل 5 من عناصر`).
"""

from __future__ import annotations

import bisect
from typing import Protocol, Sequence

from .lexicon import exact_key, stem


class TokenLike(Protocol):
    stem: str
    key: str
    start: int
    end: int
    after_comma: bool


def _keys(*words: str) -> frozenset[str]:
    return frozenset(exact_key(w) for w in words)


def _stems(*words: str) -> frozenset[str]:
    return frozenset(stem(exact_key(w)) for w in words)


AGENT_VERBS = _keys(  # not `قتل` (`قُتل` is passive, the same letters), nor a verbal noun that takes an
    # object after it (`طرد داعش`, `خطف الفتى`, `نصب كمين`)
    "شن", "شنت", "شنوا", "نفذ", "نفذت", "نفذوا", "أطلق", "أطلقت", "أطلقوا", "قصف", "قصفت", "قصفوا", "استهدف",
    "استهدفت", "استهدفوا", "هاجم", "هاجمت", "هاجموا", "فجرت", "فجروا", "اعتقل", "اعتقلت", "اعتقلوا",
    "اختطف", "اختطفت", "اختطفوا", "خطفت", "خطفوا", "أغار", "أغارت", "داهم", "داهمت", "داهموا", "اقتحم",
    "اقتحمت", "اقتحموا", "سيطر", "سيطرت", "سيطروا", "تبنت", "أعدمت", "أعدموا", "اغتال", "اغتالت",
    "طردت", "حرر", "حررت", "استعاد", "استعادت", "أسقطت", "اعترضت", "دمرت", "نصبت", "زرعوا", "ألقت")
FORCE_NOUNS = _stems(
    "طائرات", "طائرة", "طيران", "مقاتلات", "قوات", "عناصر", "مسلحو", "مسلحون", "مدفعية", "وحدات", "جنود",
    "بوارج", "زوارق", "دوريات", "ميليشيات", "ميليشيا", "مليشيا", "مقاتلو", "مقاتلون", "حربية", "الحربي", "قد")
AGENT_LINKS = _keys(
    "شنه", "شنته", "شنها", "نفذه", "نفذته", "نفذها", "نفذتها", "نفذوها", "شنوها", "أطلقتها", "أطلقوها", "تبناه", "تبنته", "يد", "أيدي", "رصاص", "نيران", "قبل", "أطلقه",
    "أطلقها", "تنفذها", "يشنها", "يشنه", "تشنها", "شنتها")
TARGET_CUES = _keys(
    "على", "ضد", "مواقع", "موقع", "معاقل", "تجمعات", "تجمع", "عناصر", "مسلحي", "مقاتلي", "مقرات", "مقر",
    "أهداف", "مخازن", "مراكز", "قاعدة", "دورية", "رتل", "صفوف", "أوكار", "من", "استهدف", "استهدفت")
CLITIC_LAM = ("ل", "لـ", "ول", "ولـ", "فل")
RELATIVES = _keys("الذي", "التي", "الذين", "اللذين", "اللتين")  # `التي طردت داعش`: داعش is the object
WAS = _keys("كان", "كانت")
MAY = exact_key("قد")
MEMBERS = _keys("مقاتلي", "عناصر", "مسلحي", "قوات", "مسلحو", "مقاتلو")
AFTER_TRIGGER = 3  # `غارات جوية لطيران التحالف`
NEAR_VERB = 3


def roles(text: str, tokens: Sequence[TokenLike], actors: Sequence[tuple[int, int, str]],
          trigger: int) -> tuple[str, str]:
    """(actor1, actor2) ids for the event whose trigger is token TRIGGER of TOKENS (one sentence);
    ACTORS: (start, end, id) character spans of the actors the sentence names."""
    if not actors or not tokens:
        return "", ""
    starts = [t.start for t in tokens]
    placed = []
    for start, end, ident in actors:
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_left(starts, end) - 1
        if first >= 0:
            placed.append((first, last, start, ident))
    agent = next((ident for first, _, start, ident in placed if _linked(text, tokens, first, start, trigger)), "")
    for first, last, start, ident in placed:
        if agent:
            break
        if _after_verb(tokens, first) or _before_verb(tokens, first, last):
            agent = ident
    if not agent:
        return "", ""
    for first, _, _, ident in placed:
        if ident != agent and _targeted(tokens, first):
            return agent, ident
    return agent, ""


def _after_verb(tokens: Sequence[TokenLike], first: int) -> bool:
    """`شنت طائرات التحالف`: an attack verb, then at most two force nouns, then the actor."""
    for gap in range(1, NEAR_VERB + 1):
        v = first - gap
        if v < 0 or tokens[v + 1].after_comma:
            return False
        if tokens[v].key in AGENT_VERBS:
            return v == 0 or tokens[v - 1].key not in RELATIVES
        if tokens[v].stem not in FORCE_NOUNS:
            return False
    return False


def _before_verb(tokens: Sequence[TokenLike], first: int, last: int) -> bool:
    """`الحوثيون قد خطفوا`, `قوات التحالف شنت`: the actor, then the verb (`قد` may stand between);
    not after `كانت` (`كانت قوات النظام سيطرت عليها`: what the other side had done before)."""
    if first > 0 and (tokens[first - 1].key in RELATIVES or tokens[first - 1].key in WAS and not (
            last + 1 < len(tokens) and tokens[last + 1].key == MAY)):
        return False  # `وكان الحوثيون قد خطفوا` narrates the news; `كانت قوات النظام سيطرت عليها` does not
    for gap in range(1, NEAR_VERB):
        v = last + gap
        if v >= len(tokens) or tokens[v].after_comma:
            return False
        if tokens[v].key in AGENT_VERBS:
            return True
        if tokens[v].stem not in FORCE_NOUNS:
            return False
    return False


def _linked(text: str, tokens: Sequence[TokenLike], first: int, start: int, trigger: int) -> bool:
    """`بقصف لميليشيا الحوثي`, `هجوم شنه تنظيم داعش`, `على يد`, `برصاص`: the doer after the attack noun."""
    between = tokens[trigger + 1:first + 1]
    if not 0 < first - trigger <= AFTER_TRIGGER + 2 or any(t.after_comma for t in between):
        return False
    member = tokens[first - 1].key in MEMBERS or tokens[first - 1].stem in FORCE_NOUNS
    link = first - 1 - member  # `على أيدي مقاتلي جبهة النصرة`, `نفذتها طائرات التحالف`
    if tokens[link].key in AGENT_LINKS and link > trigger:
        return True
    if first - trigger > AFTER_TRIGGER or any(t.key in TARGET_CUES for t in between[:-1]):
        return False  # `غارات على مواقع لميليشيا`: the target's name, not the doer's
    return text[tokens[first].start:start] in CLITIC_LAM


def _targeted(tokens: Sequence[TokenLike], first: int) -> bool:
    """`على مواقع لـ…`, `ضد…`, `مقتل خمسة من عناصر…`: a target cue just before the actor."""
    for gap in (1, 2):
        c = first - gap
        if c < 0 or tokens[c + 1].after_comma:
            return False
        if tokens[c].key in TARGET_CUES:
            return True
    return False
