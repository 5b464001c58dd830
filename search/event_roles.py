"""actor1/actor2 of an exported event, only where the sentence makes the roles plain.

An event lists the actors named in or next to its clause, which says nothing about who did what
to whom (`طردت المعارك تنظيم داعش`: the group is the target; `قال الجيش`: the army is a speaker).
Two patterns of Arabic news prose are unambiguous enough to code:
- a clause that opens with an attack verb whose subject follows it, possibly after a force noun
  (`شنّت طائرات التحالف غارات…`, `واستهدفت قوات الدعم السريع…`, `تبنّى تنظيم داعش…`): actor1;
- after such an opening, an actor named behind a target cue (`على مواقع لـ…`, `ضد…`): actor2.
Anything else leaves both empty, as ACLED's own coders would rather than guess.
"""

from __future__ import annotations

import re
from typing import Iterable

from indexer.analysis import normalize

AGENT_VERBS = frozenset(normalize(w) for w in (
    "شن", "شنت", "نفذ", "نفذت", "أطلق", "أطلقت", "قصف", "قصفت", "استهدف", "استهدفت", "هاجم", "هاجمت",
    "فجر", "فجرت", "اعتقل", "اعتقلت", "اختطف", "اختطفت", "خطف", "خطفت", "أغار", "أغارت", "داهم", "داهمت",
    "اقتحم", "اقتحمت", "سيطر", "سيطرت", "تبنى", "تبنت", "قتل", "قتلت"))
FORCE_NOUNS = frozenset(normalize(w) for w in (
    "طائرات", "طائرة", "طيران", "مقاتلات", "مسيرات", "مسيرة", "قوات", "عناصر", "مسلحو", "مسلحون", "مدفعية",
    "وحدات", "جنود", "بوارج", "زوارق", "دوريات", "ميليشيات", "مليشيات", "الطيران", "الحربي", "الحربية",
    "المسير", "المسيرة", "مقاتلو", "مقاتلون"))
TARGET_CUES = frozenset(normalize(w) for w in (
    "ضد", "على", "مواقع", "مقرات", "مقر", "عناصر", "تجمعات", "معاقل", "مسلحي", "مقاتلي", "أهداف", "مخازن",
    "مراكز", "قاعدة", "دورية", "رتل"))
CLAUSE_OPENERS = frozenset(normalize(w) for w in ("وقد", "فقد", "كما", "فيما", "حيث", "ثم"))
CONJUNCTIONS = ("و", "ف")
WORD = re.compile(r"\w+")
CLAUSE_BREAK = re.compile(r"[.،,؛;:!?؟\n]")
MAX_FORCE_WORDS = 2


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), normalize(m.group(0))) for m in WORD.finditer(text)]


def _verb(word: str) -> bool:
    if word in AGENT_VERBS:
        return True
    return word[:1] in CONJUNCTIONS and word[1:] in AGENT_VERBS


def _opens_clause(text: str, words: list[tuple[int, int, str]], index: int) -> bool:
    """Word INDEX starts the text or a clause (after punctuation or an opener such as فيما)."""
    if index == 0:
        return True
    previous_end = words[index - 1][1]
    if CLAUSE_BREAK.search(text[previous_end:words[index][0]]):
        return True
    return words[index - 1][2] in CLAUSE_OPENERS and (index == 1 or bool(
        CLAUSE_BREAK.search(text[words[index - 2][1]:words[index - 1][0]])))


def _places(text: str, mentions: Iterable[str]) -> list[int]:
    return sorted(m.start() for mention in mentions if mention.strip() for m in re.finditer(re.escape(mention), text))


def roles(text: str, actors: list[tuple[str, list[str]]]) -> tuple[str, str]:
    """(actor1 id, actor2 id) of the event told by TEXT, "" where the sentence does not make it plain.
    ACTORS: (id, surface forms as the article writes them) of the actors the event names."""
    words = _words(text)
    starts = {start: i for i, (start, _, _) in enumerate(words)}
    located = [(at, ident) for ident, mentions in actors for at in _places(text, mentions)]
    agent, agent_at = "", -1
    for i, (_, _, word) in enumerate(words):
        if not (_verb(word) and _opens_clause(text, words, i)):
            continue
        for gap in range(1, MAX_FORCE_WORDS + 2):
            j = i + gap
            if j >= len(words):
                break
            found = next((ident for at, ident in located if at == words[j][0]), None)
            if found:
                agent, agent_at = found, words[j][0]
                break
            if words[j][2] not in FORCE_NOUNS:
                break
        if agent:
            break
    if not agent:
        return "", ""
    target = ""
    for at, ident in sorted(located):
        if at <= agent_at or ident == agent:
            continue
        index = starts.get(at)
        before = text[max(0, at - 1):at]
        if index is None and before in ("ل", "ب"):  # a clitic joined to the name: «لتنظيم داعش»
            index = next((k for k, (s, e, _) in enumerate(words) if s < at < e), None)
        if index is None or index == 0:
            continue
        cues = {w for _, _, w in words[max(0, index - 2):index]}
        if cues & TARGET_CUES:
            target = ident
            break
    return agent, target
