"""Event dates written in an article: absolute, Hijri, numeric and relative to publication.

Every result is one day, `{"date": "YYYY-MM-DD", "text": surface, "kind": ...}`; `kind` is
"relative" when the day comes from the publication date (weekdays, أمس, اليوم, nights).
Decisions (see README design notes):
- A weekday is the most recent such day on or before publication (the publication day itself
  if it is that weekday); `الماضي` makes it strictly before, `المقبل`/`القادم` strictly after.
  After an announcing word (`من المقرر`, `نأمل`, `سوف`, up to four words before) a bare weekday
  is the coming one, on or after publication. A list of consecutive weekdays (`الاثنين، الثلاثاء، الأربعاء`, `يومي الجمعة والسبت`) names
  consecutive days from the first one.
- A night names one or two days and we emit exactly the days it names: `ليلة الجمعة-السبت`
  and `ليل الخميس الجمعة` give both days (the second resolved as a weekday, the first the day
  before it); `ليلة السبت` gives Saturday only (read as the eve or as the night after, the
  night touches Saturday either way).
- `غداً` is an announced event and gives publication + 1.
- `الأسبوع الماضي`, `الشهر الماضي`, `قبل أيام` name no day and give nothing.
- Year-less dates (`15 آذار`) take the year that puts them nearest to publication, unless
  `الماضي`/`المقبل` follows; they keep kind "absolute" (the day is written). After an event
  or group noun (`هجمات 11 سبتمبر`, `ثورة 23 يوليو`, `قوى 14 آذار`) a year-less day is a
  name, not a day.
- Days may be written as ordinals (`السادس من آب`, `الحادي والعشرين من آذار`) and as ranges
  (`من 10 إلى 16 تموز` names both ends).
- A bare `اليوم` inside quoted speech is the speaker's day, which publication does not tell,
  so it gives nothing; nor does the contrastive "nowadays" (`أما اليوم`, `بينما اليوم`,
  `لكن اليوم`, `بين الأمس واليوم`). The paper's own gloss of a quoted day word (`اليوم «أمس»`) wins.
Without a publication date nothing relative or year-less is emitted.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from hijridate import Hijri

from indexer.analysis import normalize

from .tokens import Word, scan

Token = tuple[Word, int, int]


def _n(words: dict[str, int]) -> dict[str, int]:
    return {normalize(k): v for k, v in words.items()}


GREGORIAN_MONTHS = _n({
    "يناير": 1, "جانفي": 1, "فبراير": 2, "فيفري": 2, "شباط": 2, "مارس": 3, "آذار": 3,
    "أبريل": 4, "إبريل": 4, "ابريل": 4, "أفريل": 4, "نيسان": 4, "مايو": 5, "ماي": 5, "أيار": 5,
    "يونيو": 6, "يونيه": 6, "جوان": 6, "حزيران": 6, "يوليو": 7, "يوليه": 7, "جويلية": 7,
    "يوليوز": 7, "تموز": 7, "أغسطس": 8, "اغسطس": 8, "أوت": 8, "غشت": 8, "آب": 8,
    "سبتمبر": 9, "شتنبر": 9, "أيلول": 9, "أكتوبر": 10, "نوفمبر": 11, "نونبر": 11,
    "ديسمبر": 12, "دجنبر": 12,
})
TWO_WORD_MONTHS = {
    (normalize("كانون"), "ثاني"): 1, (normalize("كانون"), "اول"): 12,
    (normalize("تشرين"), "اول"): 10, (normalize("تشرين"), "ثاني"): 11,
}
HIJRI_MONTHS = _n({"محرم": 1, "صفر": 2, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10})
TWO_WORD_HIJRI = {
    ("ربيع", "اول"): 3, ("ربيع", "ثاني"): 4, ("ربيع", "اخر"): 4,
    ("جمادي", "اولي"): 5, ("جمادي", "اول"): 5, ("جمادي", "ثانيه"): 6, ("جمادي", "اخره"): 6,
    ("جمادي", "اخر"): 6, ("ذو", "قعده"): 11, ("ذي", "قعده"): 11, ("ذو", "حجه"): 12,
    ("ذي", "حجه"): 12,
}
WEEKDAYS = _n({"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3,
               "الجمعة": 4, "السبت": 5, "الأحد": 6})
NIGHT = _n({"ليلة": 1, "ليل": 1})
TIME_OF_DAY = frozenset(normalize(w) for w in (
    "يوم", "اليوم", "صباح", "مساء", "فجر", "ظهر", "عصر", "ظهيرة", "منتصف", "ليلة", "ليل",
    "أمس", "غدا", "منذ", "حتى", "قبل", "بعد", "مطلع", "نهاية"))
PAST = frozenset(normalize(w) for w in ("الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة"))
NEXT = frozenset(normalize(w) for w in ("المقبل", "المقبلة", "القادم", "القادمة"))
YESTERDAY = frozenset(normalize(w) for w in ("أمس", "الأمس", "البارحة"))
TODAY = normalize("اليوم")
TOMORROW = frozenset(normalize(w) for w in ("غدا", "غد", "الغد"))
AGO = frozenset(normalize(w) for w in ("قبل", "منذ"))
DAY_COUNTS = _n({"يومين": 2, "يومان": 2, "أسبوع": 7, "اسبوع": 7})
NUMBER_WORDS = _n({"ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5,
                   "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "تسعة": 9, "عشرة": 10})
DAYS_WORD = frozenset(normalize(w) for w in ("أيام", "ايام"))
TODAY_NOT_A_DATE_AFTER = frozenset(normalize(w) for w in (
    "الوطني", "العالمي", "الدولي", "التالي", "نفسه", "ذاته", "الاول", "الثاني", "الثالث",
    "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر", "الأخير", "السابق",
    "الموعود", "المفتوح", "الختامي", "الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة"))
TODAY_NOT_A_DATE_BEFORE = frozenset(normalize(w) for w in (
    "ذلك", "حتى", "إلى", "الى", "لغاية", "صحيفة", "جريدة", "ذات", "منذ", "عين"))
ORDINAL_UNITS = _n({"الأول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6,
                    "السابع": 7, "الثامن": 8, "التاسع": 9})
ORDINAL_TENS = _n({"العاشر": 10, "العشرين": 20, "الثلاثين": 30})
ELEVEN = normalize("الحادي")
TEEN = normalize("عشر")
TENS_AFTER_UNIT = _n({"والعشرين": 20, "والثلاثين": 30})
RANGE_TO = frozenset(normalize(w) for w in ("إلى", "الى", "حتى", "لغاية"))
EVENT_NOUNS = frozenset(normalize(w) for w in (
    "هجوم", "هجمات", "أحداث", "اعتداءات", "تفجيرات", "ثورة", "حرب", "انتفاضة", "حركة", "اتفاق",
    "اتفاقية", "ذكرى", "قوى", "تيار", "تحالف", "ائتلاف", "كتيبة", "لواء", "مجزرة"))
ANNOUNCING = frozenset(normalize(w) for w in (
    "سوف", "المقرر", "المرتقب", "المنتظر", "المرجح", "المتوقع", "يتوقع", "نأمل", "يأمل", "تأمل",
    "يعتزم", "تعتزم", "موعد", "موعدا"))
ANNOUNCE_WINDOW = 4
CONTRAST_BEFORE = frozenset(normalize(w) for w in ("أما", "وأما", "بينما", "لكن", "ولكن", "الأمس", "البارحة"))
PART_OF_DAY = frozenset(normalize(w) for w in ("صباح", "مساء", "فجر", "ظهر", "عصر", "ظهيرة", "ليل", "ليلة"))
NOT_BEFORE_MONDAY = frozenset(normalize(w) for w in ("بين", "كلا", "من", "أحد", "احد", "هذين", "ذينك"))
TRIGGERS = frozenset().union(
    WEEKDAYS, NIGHT, YESTERDAY, TOMORROW, AGO, ORDINAL_UNITS, ORDINAL_TENS, {ELEVEN}, {TODAY})
QUOTES = "«»\"“”'‘’"
FROM = normalize("من")
MONTH_WORD = normalize("شهر")
AND = "و"
HIJRI_MARKS = frozenset(normalize(w) for w in ("هـ", "ه", "هجري", "هجرية", "للهجرة"))
AGREEING = frozenset(normalize(w) for w in ("الموافق", "الموافقة", "الموافق لـ"))


def keyword_heads(w: Word) -> list[tuple[str, int]]:
    """The word and its forms without `و`/`ف`, or without `ب`/`ل`/`ك` before the article.

    `لامس` (touched) must not become `امس` (yesterday), while `بالأمس` is yesterday.
    """
    out = []
    for key, stripped, restored in w.heads:
        prefix = w.norm[:stripped]
        if stripped == 0 or set(prefix) <= {"و", "ف"} or key.startswith("ال"):
            out.append((key, stripped))
    return out


def day_number(norm: str) -> int | None:
    if norm.isdigit() and len(norm) <= 2 and 1 <= int(norm) <= 31:
        return int(norm)
    return None


def ordinal_day(toks: Sequence[Token], i: int) -> tuple[int, int] | None:
    """(day, next index) for a written ordinal day: `السادس`, `الحادي عشر`, `الثاني والعشرين`."""
    key = toks[i][0].norm
    after = toks[i + 1][0].norm if i + 1 < len(toks) else ""
    if key in ORDINAL_TENS:
        return ORDINAL_TENS[key], i + 1
    unit = 1 if key == ELEVEN else ORDINAL_UNITS.get(key)
    if unit is None:
        return None
    if after == TEEN:
        return 10 + unit, i + 2
    if after in TENS_AFTER_UNIT and TENS_AFTER_UNIT[after] + unit <= 31:
        return TENS_AFTER_UNIT[after] + unit, i + 2
    return (unit, i + 1) if key != ELEVEN else None


def ordinal_ar(key: str) -> str:
    """`الأول`/`الثانية` as the bare ordinal that the month tables use."""
    return key[2:] if key.startswith("ال") else key


def month_at(toks: Sequence[Token], j: int) -> tuple[str, int, int] | None:
    """(calendar, month, next index) for a month name starting at token J."""
    if j >= len(toks):
        return None
    key = toks[j][0].norm
    if j + 1 < len(toks):
        pair = (key, ordinal_ar(toks[j + 1][0].norm))
        if pair in TWO_WORD_MONTHS:
            return "g", TWO_WORD_MONTHS[pair], j + 2
        if pair in TWO_WORD_HIJRI:
            return "h", TWO_WORD_HIJRI[pair], j + 2
    if key in GREGORIAN_MONTHS:
        return "g", GREGORIAN_MONTHS[key], j + 1
    if key in HIJRI_MONTHS:
        return "h", HIJRI_MONTHS[key], j + 1
    return None


def nearest_year(month: int, day: int, published: dt.date, lean: int = 0) -> dt.date | None:
    """The valid date with that month/day nearest to publication (lean<0 past, >0 future)."""
    best = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if lean < 0 and candidate > published or lean > 0 and candidate < published:
            continue
        if best is None or abs((candidate - published).days) < abs((best - published).days):
            best = candidate
    return best


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(g.year, g.month, g.day)


def nearest_hijri(month: int, day: int, published: dt.date) -> dt.date | None:
    from hijridate import Gregorian

    try:
        hy = Gregorian(published.year, published.month, published.day).to_hijri().year
    except (ValueError, OverflowError):  # published outside the Umm al-Qura table (1924–2077)
        return None
    options = [d for y in (hy - 1, hy, hy + 1) if (d := hijri_to_gregorian(y, month, day))]
    return min(options, key=lambda d: abs((d - published).days), default=None)


_roles: dict[str, int] = {}


def date_role(w: Word) -> int:
    """0: cannot start a date; 1: digits; 2: a word that may (cached per normalized word)."""
    if len(_roles) > 300_000:
        _roles.clear()
    if w.norm[:1].isdigit():
        return 1
    for key, _ in keyword_heads(w):
        if key in TRIGGERS:
            return 2
    return 0


class DateFinder:
    """Scans the token list once; each rule returns (dates, surface span, next index)."""

    def __init__(self, text: str, toks: Sequence[Token], published: dt.date | None) -> None:
        self.text = text
        self.toks = toks
        self.published = published
        self.found: list[tuple[int, dt.date, str, str]] = []

    def emit(self, day: dt.date | None, i: int, j: int, kind: str, skip: int = 0) -> None:
        if day is None or not (1 <= day.year <= 9999):
            return
        start = self.toks[i][1]
        if skip:
            from .tokens import surface_after

            surface = self.text[start:self.toks[i][2]]
            start = self.toks[i][2] - len(surface_after(surface, skip))
        end = self.toks[j - 1][2]
        surface = self.text[start:end]
        if surface.count("(") > surface.count(")") and self.text[end:end + 1] == ")":
            surface += ")"
        self.found.append((start, day, surface, kind))

    def run(self) -> list[tuple[int, dt.date, str, str]]:
        toks = self.toks
        roles = _roles
        resume = 0
        i = -1
        for w, _, _ in toks:
            i += 1
            if i < resume:
                continue
            norm = w.norm
            role = roles.get(norm)
            if role is None:
                role = roles[norm] = date_role(w)
            if role == 0:
                continue
            if role == 1:
                resume = self.numeric(i) or self.day_month(i) or i + 1
            else:
                resume = self.keyword(i, w) or i + 1
        return self.found

    # absolute -----------------------------------------------------------------------------
    def numeric(self, i: int) -> int | None:
        toks, text = self.toks, self.text
        norm = toks[i][0].norm
        parts: list[str] | None = None
        end = i + 1
        if "." in norm and norm.count(".") == 2:
            parts = norm.split(".")
        elif i + 2 < len(toks):
            sep1 = text[toks[i][2]:toks[i + 1][1]]
            sep2 = text[toks[i + 1][2]:toks[i + 2][1]]
            if sep1 == sep2 and sep1 in ("/", "-", ".") and toks[i + 1][0].norm.isdigit() \
                    and toks[i + 2][0].norm.isdigit():
                parts = [norm, toks[i + 1][0].norm, toks[i + 2][0].norm]
                end = i + 3
        if not parts or not all(p.isdigit() for p in parts):
            return None
        if len(parts[0]) == 4:
            year, month, day = (int(p) for p in parts)
        elif len(parts[2]) == 4:
            day, month, year = (int(p) for p in parts)
        else:
            return None
        if 1300 <= year <= 1500:
            found = hijri_to_gregorian(year, month, day)
        elif 1900 <= year <= 2100:
            try:
                found = dt.date(year, month, day)
            except ValueError:
                found = None
        else:
            found = None
        if found is None:
            return None
        if end < len(toks) and toks[end][0].norm in HIJRI_MARKS:
            end += 1
        self.emit(found, i, end, "absolute")
        return end

    def day_month(self, i: int, days: list[int] | None = None, j: int | None = None) -> int | None:
        """`15 آذار/مارس 2023`, `12 رمضان 1444 هـ`, `15 و16 مارس`, `من 10 إلى 16 تموز`, `السادس من آب`."""
        toks = self.toks
        n = len(toks)
        if days is None:
            first = day_number(toks[i][0].norm)
            if first is None:
                return None
            days = [first]
        j = i + 1 if j is None else j
        while j + 1 < n and (toks[j][0].norm == AND or toks[j][0].norm in RANGE_TO) \
                and day_number(toks[j + 1][0].norm):
            days.append(day_number(toks[j + 1][0].norm))
            j += 2
        while j < n and self.text[toks[j - 1][2]:toks[j][1]].strip() in ("-", "–") and day_number(toks[j][0].norm) \
                and toks[j][0].norm != toks[j - 1][0].norm:
            days.append(day_number(toks[j][0].norm))
            j += 1
        if j < n and toks[j][0].norm == FROM:
            j += 1
        if j < n and toks[j][0].norm == MONTH_WORD:
            j += 1
        month = month_at(toks, j)
        if month is None:
            return None
        calendar, number, j = month
        alternative = month_at(toks, j)
        if alternative is not None and alternative[1] == number and alternative[0] == calendar:
            j = alternative[2]
        year = None
        if j < n and toks[j][0].norm.isdigit() and len(toks[j][0].norm) == 4:
            candidate = int(toks[j][0].norm)
            if calendar == "g" and 1900 <= candidate <= 2100 or calendar == "h" and 1300 <= candidate <= 1500:
                year = candidate
                j += 1
                if j < n and (toks[j][0].norm in HIJRI_MARKS or toks[j][0].norm in ("م", "ميلادي", "ميلاديه")):
                    j += 1
        lean = 0
        if year is None and j < n:
            if toks[j][0].norm in PAST:
                lean, j = -1, j + 1
            elif toks[j][0].norm in NEXT:
                lean, j = 1, j + 1
        if calendar == "h" and number == 2 and year is None:
            return None
        if year is None and self.names_an_event(i):
            return j
        for day in days:
            self.emit(self.day_of(calendar, year, number, day, lean), i, j, "absolute")
        return j

    def names_an_event(self, i: int) -> bool:
        """`هجمات 11 سبتمبر`, `ثورة 26 سبتمبر`: a year-less day after an event noun is a name."""
        return i >= 1 and any(head[0] in EVENT_NOUNS for head in self.toks[i - 1][0].heads)

    def day_of(self, calendar: str, year: int | None, month: int, day: int, lean: int) -> dt.date | None:
        if calendar == "h":
            if year is not None:
                return hijri_to_gregorian(year, month, day)
            return nearest_hijri(month, day, self.published) if self.published else None
        if year is None:
            return nearest_year(month, day, self.published, lean) if self.published else None
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None

    # relative -----------------------------------------------------------------------------
    def keyword(self, i: int, w: Word) -> int | None:
        toks = self.toks
        n = len(toks)
        norm = w.norm
        ordinal = ordinal_day(toks, i)
        if ordinal is not None:
            day, j = ordinal
            if j + 1 < n and toks[j][0].norm == FROM and (month_at(toks, j + 1) or toks[j + 1][0].norm == MONTH_WORD):
                return self.day_month(i, [day], j)
        published = self.published
        if published is None:
            return None
        for key, stripped in keyword_heads(w):
            if key in WEEKDAYS:
                return self.weekday(i, WEEKDAYS[key], stripped)
            if key in NIGHT and i + 1 < n and toks[i + 1][0].norm in WEEKDAYS:
                return self.night(i, stripped)
            if key in YESTERDAY or key == TODAY or key in TOMORROW:
                return self.day_word(i, key, stripped)
            if key in AGO:
                return self.ago(i, stripped)
        return None

    def day_word(self, i: int, key: str, stripped: int) -> int:
        """أمس، أول أمس، البارحة الأولى، اليوم، غداً، بعد غد — and the weekday that may follow.

        `أمس الثلاثاء`, `اليوم (الأربعاء)`, `غداً الخميس`: the weekday is the more reliable half
        (a crawl date can be a day late), so it gives the date: the one nearest to the day word.
        """
        toks = self.toks
        n = len(toks)
        published = self.published
        assert published is not None
        start, end, skip = i, i + 1, stripped
        if key in YESTERDAY:
            if key == normalize("الأمس") and i + 1 < n and toks[i + 1][0].norm == AND + TODAY \
                    and self.weekday_at(i + 2) is None:
                return i + 2  # `بين الأمس واليوم`: then and now (but `أمس واليوم (الأربعاء)` are days)
            offset = -1
            before = dict(keyword_heads(toks[i - 1][0])) if i >= 1 else {}
            if i + 1 < n and toks[i + 1][0].norm in ("الاول", "الاولي"):
                offset, end = -2, i + 2
            elif "اول" in before:
                offset, start, skip = -2, i - 1, before["اول"]
            elif i >= 2 and toks[i - 1][0].norm == FROM and toks[i - 2][0].norm == "اول":
                offset, start, skip = -2, i - 2, 0
        elif key == TODAY:
            if stripped and not set(toks[i][0].norm[:stripped]) <= {"و", "ف"}:
                return i + 1
            bare = self.weekday_at(end) is None
            if self.gloss_at(end) is None and (not self.today_is_date(i) or bare and (
                    self.inside_quote(i) and not (i >= 1 and toks[i - 1][0].norm in PART_OF_DAY)
                    or i >= 1 and toks[i - 1][0].norm in CONTRAST_BEFORE)):
                return i + 1
            offset = 0
        else:
            previous = toks[i - 1][0].norm if i >= 1 else ""
            if key != "غدا" and previous not in ("يوم", "بعد", "صباح", "مساء", "ظهر"):
                return i + 1
            offset = 1
            if previous == "بعد":
                offset, start, skip = 2, i - 1, 0
        gloss = self.gloss_at(end)
        if gloss is not None:
            offset, end = gloss
        day = published + dt.timedelta(days=offset)
        weekday = self.weekday_at(end)
        if weekday is not None:
            target, end = weekday
            back = (day.weekday() - target) % 7
            day = day - dt.timedelta(days=back if back <= 3 else back - 7)
        self.emit(day, start, end, "relative", skip)
        return end

    def gloss_at(self, j: int) -> tuple[int, int] | None:
        """`اليوم «أمس»`, `غداً «اليوم»`: the paper's quoted correction of a quoted speaker's day word.

        Returns the corrected offset from publication and the index after the gloss.
        """
        toks = self.toks
        if not 0 < j < len(toks):
            return None
        opening = self.text[toks[j - 1][2]:toks[j][1]].strip()
        if not opening or opening[-1] not in "«(“\"-–":
            return None
        for key, stripped in keyword_heads(toks[j][0]):
            if stripped == 0 and key in YESTERDAY:
                return -1, j + 1
            if stripped == 0 and key == TODAY:
                return 0, j + 1
            if stripped == 0 and key in TOMORROW:
                return 1, j + 1
        return None

    def inside_quote(self, i: int) -> bool:
        """Whether token I stands inside quoted speech in its paragraph (a quote's `اليوم` is the
        speaker's day, which the publication date does not tell)."""
        text = self.text
        position = self.toks[i][1]
        before = text[text.rfind("\n", 0, position) + 1:position]
        return (before.count("«") > before.count("»") or before.count("“") > before.count("”")
                or before.count('"') % 2 == 1)

    def weekday_at(self, j: int) -> tuple[int, int] | None:
        if j < len(self.toks):
            key = self.toks[j][0].norm
            if key in WEEKDAYS:
                return WEEKDAYS[key], j + 1
        return None

    def today_is_date(self, i: int) -> bool:
        """`اليوم` is today, except as a newspaper's name, `اليوم الوطني`, `حتى اليوم`…"""
        toks, text = self.toks, self.text
        start, end = toks[i][1], toks[i][2]
        before = text[max(0, start - 1):start]
        after = text[end:end + 1]
        if before and before in QUOTES or after and after in QUOTES:
            return False
        if i + 1 < len(toks) and toks[i + 1][0].norm in TODAY_NOT_A_DATE_AFTER:
            return False
        if i >= 1 and any(k in TODAY_NOT_A_DATE_BEFORE for k, _ in keyword_heads(toks[i - 1][0])):
            return False
        if i >= 1 and toks[i - 1][0].norm in ("ل", "لل") and text[toks[i - 1][2]:start].strip():
            return False
        return True

    def resolve_weekday(self, weekday: int, lean: int) -> dt.date:
        published = self.published
        assert published is not None
        back = (published.weekday() - weekday) % 7
        if lean > 0:
            forward = (weekday - published.weekday()) % 7
            if lean == 1 and forward == 0:
                forward = 7
            return published + dt.timedelta(days=forward)
        if lean < 0 and back == 0:
            back = 7
        return published - dt.timedelta(days=back)

    def lean_after(self, j: int) -> tuple[int, int]:
        if j < len(self.toks):
            norm = self.toks[j][0].norm
            if norm in PAST:
                return -1, j + 1
            if norm in NEXT:
                return 1, j + 1
        return 0, j

    def absolute_follows(self, j: int) -> bool:
        toks = self.toks
        if j < len(toks) and toks[j][0].norm in AGREEING:
            j += 1
        if j >= len(toks):
            return False
        probe = DateFinder(self.text, toks[j:j + 8], self.published)
        if toks[j][0].norm.isdigit():
            return bool(probe.numeric(0) or probe.day_month(0))
        ordinal = ordinal_day(probe.toks, 0)
        return ordinal is not None and bool(probe.keyword(0, toks[j][0]))

    def weekday(self, i: int, weekday: int, stripped: int) -> int:
        toks = self.toks
        if weekday == 0 and not self.monday_context(i):
            return i + 1
        if self.absolute_follows(i + 1):
            return i + 1
        lean, j = self.lean_after(i + 1)
        if lean == 0 and self.announced(i):
            lean = 2
        start = i
        if i >= 1 and toks[i - 1][0].norm in TIME_OF_DAY and toks[i - 1][0].norm != "اليوم" \
                and toks[i - 1][0].norm not in AGO:
            start, stripped = i - 1, 0
        day = self.resolve_weekday(weekday, lean)
        self.emit(day, start, j, "relative", stripped if start == i else 0)
        return self.following_weekdays(j, weekday, day) if lean == 0 else j

    def announced(self, i: int) -> bool:
        """A bare weekday right after a word that announces (`من المقرر`, `نأمل`, `سوف`) is the
        coming one, on or after publication, not the last one."""
        toks, text = self.toks, self.text
        for k in range(i - 1, max(-1, i - 1 - ANNOUNCE_WINDOW), -1):
            if any(ch in ".؟!\n" for ch in text[toks[k][2]:toks[k + 1][1]]):
                return False
            if any(key in ANNOUNCING for key, _ in keyword_heads(toks[k][0])):
                return True
        return False

    def following_weekdays(self, j: int, weekday: int, day: dt.date) -> int:
        """`الاثنين، الثلاثاء، الأربعاء` or `الجمعة والسبت`: a list of consecutive weekdays names
        consecutive days, so each one follows the first rather than being resolved on its own."""
        toks = self.toks
        while j < len(toks):
            k = j + 1 if toks[j][0].norm == AND else j
            if k >= len(toks) or self.text[toks[j - 1][2]:toks[k][1]].strip() not in ("", "،", ",", "و", "-"):
                break
            nxt = next(((key, cut) for key, cut in keyword_heads(toks[k][0]) if key in WEEKDAYS), None)
            if nxt is None or WEEKDAYS[nxt[0]] != (weekday + 1) % 7:
                break
            weekday, day = WEEKDAYS[nxt[0]], day + dt.timedelta(days=1)
            self.emit(day, k, k + 1, "relative", nxt[1])
            j = k + 1
        return j

    def monday_context(self, i: int) -> bool:
        """`الاثنين` is also "the two": take it as Monday only where a day is expected."""
        toks, text = self.toks, self.text
        if i >= 1 and any(key in TIME_OF_DAY for key, _ in keyword_heads(toks[i - 1][0])):
            return True
        if text[toks[i][1] - 1:toks[i][1]] == "(" and text[toks[i][2]:toks[i][2] + 1] == ")":
            return True
        if i + 1 < len(toks) and (toks[i + 1][0].norm in PAST or toks[i + 1][0].norm in NEXT):
            return True
        if text[toks[i][2]:toks[i][2] + 1] in (".", "،", ",", "؛") and not (
                i >= 1 and toks[i - 1][0].norm in NOT_BEFORE_MONDAY):
            return True  # `أفاد الإعلام السويدي الاثنين.`: a clause that ends on the day
        return self.absolute_follows(i + 1)

    def night(self, i: int, stripped: int) -> int:
        """`ليلة الجمعة-السبت`, `ليل الخميس الجمعة`, `ليلة الخميس على الجمعة`, `ليلة السبت`."""
        toks = self.toks
        first = WEEKDAYS[toks[i + 1][0].norm]
        j = i + 2
        if j < len(toks) and toks[j][0].norm in ("علي", "الي", "و") and j + 1 < len(toks) \
                and toks[j + 1][0].norm in WEEKDAYS:
            j += 1
        second = None
        if j < len(toks):
            key = next((h[0] for h in toks[j][0].heads if h[0] in WEEKDAYS), None)
            if key is not None and WEEKDAYS[key] == (first + 1) % 7:
                second = WEEKDAYS[key]
        if second is None:
            lean, end = self.lean_after(i + 2)
            self.emit(self.resolve_weekday(first, lean), i, end, "relative", stripped)
            return end
        lean, end = self.lean_after(j + 1)
        last = self.resolve_weekday(second, lean)
        self.emit(last - dt.timedelta(days=1), i, end, "relative", stripped)
        self.emit(last, i, end, "relative", stripped)
        return end

    def ago(self, i: int, stripped: int) -> int | None:
        """`قبل يومين`, `منذ ثلاثة أيام`, `قبل 3 أيام`, `قبل أسبوع`."""
        toks = self.toks
        n = len(toks)
        published = self.published
        assert published is not None
        if i + 1 >= n:
            return None
        key = toks[i + 1][0].norm
        if key in DAY_COUNTS:
            self.emit(published - dt.timedelta(days=DAY_COUNTS[key]), i, i + 2, "relative", stripped)
            return i + 2
        count = NUMBER_WORDS.get(key) or (int(key) if key.isdigit() and len(key) <= 2 else None)
        if count and i + 2 < n and toks[i + 2][0].norm in DAYS_WORD and count <= 10:
            self.emit(published - dt.timedelta(days=count), i, i + 3, "relative", stripped)
            return i + 3
        return None


def dated_spans(text: str, published: dt.date | None,
                tokens: Sequence[Token] | None = None) -> list[tuple[int, dt.date, str, str]]:
    """(start, day, surface, kind) of every day TEXT names, in text order, repeats included."""
    toks = scan(text) if tokens is None else tokens
    found = DateFinder(text, toks, published).run()
    found.sort(key=lambda f: f[0])
    return found


def find_dates(text: str, published: dt.date | None,
               tokens: Sequence[Token] | None = None,
               found: list[tuple[int, dt.date, str, str]] | None = None) -> list[dict[str, str]]:
    """The days TEXT names, in text order, one per (date, kind); FOUND reuses dated_spans()."""
    if found is None:
        found = dated_spans(text, published, tokens)
    out = []
    seen = set()
    for _, day, surface, kind in found:
        key = (day, kind)
        if key in seen:
            continue
        seen.add(key)
        out.append({"date": day.isoformat(), "text": surface, "kind": kind})
    return out
