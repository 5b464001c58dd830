"""Presentation helpers for the Arabic page: dates, counts, URLs that carry the whole state.

Digits are Western (0-9) everywhere, as most Arabic news sites print them, and months are
the standard Arabic names (يناير … ديسمبر).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterable
from urllib.parse import urlencode

from markupsafe import Markup, escape

MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
          "أكتوبر", "نوفمبر", "ديسمبر"]
ACTOR_TYPES = {
    "state_force": "قوات نظامية", "armed_group": "جماعات مسلحة", "government": "حكومات ووزارات",
    "international": "هيئات دولية", "person": "شخصيات", "media": "وسائل إعلام", "other": "جهات أخرى",
}
PLACE_KINDS = {
    "country": "دولة", "region": "إقليم", "governorate": "محافظة", "district": "منطقة", "city": "مدينة",
    "town": "بلدة", "site": "موقع",
}
FIELD_HELP = {
    "q": ("كلمات البحث", "لا تزيد على 1000 حرف."),
    "place": ("المكان", "اكتب اسم مكان بالعربية أو الإنجليزية كما في قائمة الأماكن."),
    "actor": ("الجهة", "اكتب اسم جهة بالعربية أو الإنجليزية كما في قائمة الجهات."),
    "source": ("المصدر", "اختر مصدراً من قائمة المصادر."),
    "from": ("تاريخ البداية", "يُكتب التاريخ يوماً/شهراً/سنةً هكذا: \u206621/07/2015\u2069."),
    "to": ("تاريخ النهاية", "يُكتب التاريخ يوماً/شهراً/سنةً هكذا: \u206621/07/2015\u2069، ولا يسبق تاريخ البداية."),
    "date_field": ("نوع التاريخ", "تاريخ النشر أو تاريخ الحدث."),
    "event": ("نوع الحدث", "اختر نوع حدث من قائمة الأحداث."),
    "min_killed": ("الحد الأدنى للقتلى", "عدد صحيح من 0 فأكثر."),
    "sort": ("الترتيب", "الأكثر صلة أو الأحدث أو الأقدم أو الأكثر قتلى."),
    "page": ("رقم الصفحة", "تعرض النتائج حتى 10000 تقرير؛ اختر صفحة أقرب."),
    "per_page": ("عدد النتائج في الصفحة", "بين 1 و100."),
    "entities": ("مطابقة الأسماء", "true أو false."),
    "expand": ("المرادفات وتخفيف الشروط", "true أو false (false: الكلمات كما كُتبت فقط)."),
    "story": ("القصة", "رقم قصة كما في رابط «ونشرته أيضاً» تحت نتيجة."),
    "collapse": ("تجميع القصص", "story أو none."),
}
SORTS = {"relevance": "الأكثر صلة", "newest": "الأحدث", "oldest": "الأقدم", "killed": "الأكثر قتلى"}
_MARK = re.compile(r"</?mark>")


def arabic_date(value: str | None) -> str:
    """'2023-03-25' → '25 مارس 2023'; partial values ('2023-03', '2023') keep their precision."""
    if not value:
        return ""
    parts = value[:10].split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return value
    if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
        return value
    if len(numbers) == 3:
        return f"{numbers[2]} {MONTHS[numbers[1] - 1]} {numbers[0]}"
    if len(numbers) == 2:
        return f"{MONTHS[numbers[1] - 1]} {numbers[0]}"
    return str(numbers[0])


REPORT_FORMS = ("لا تقارير", "تقرير واحد", "تقريران", "تقارير", "تقريراً", "تقرير")
STORY_FORMS = ("لا قصص", "قصة واحدة", "قصتان", "قصص", "قصة", "قصة")
OUTLET_FORMS = ("لا مصادر", "مصدر واحد", "مصدران", "مصادر", "مصدراً", "مصدر")


def count_noun(n: int, forms: tuple[str, str, str, str, str, str]) -> str:
    """N with a noun in the form Arabic grammar wants after that number (Western digits). FORMS:
    none, one, two, 3–10 (plural), 11–99 (accusative singular), 100 and up (singular)."""
    none, one, two, few, many, hundreds = forms
    if n == 0:
        return none
    if n == 1:
        return one
    if n == 2:
        return two
    tail = n % 100
    if 3 <= tail <= 10:
        return f"{n} {few}"
    if 11 <= tail <= 99:
        return f"{n} {many}"
    return f"{n} {hundreds}"


def count_reports(n: int) -> str:
    return count_noun(n, REPORT_FORMS)


DAY_MONTH_YEAR = re.compile(r"\s*([0-9٠-٩]{1,2})\s*[/.\-]\s*([0-9٠-٩]{1,2})\s*[/.\-]\s*([0-9٠-٩]{4})\s*")
INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def day_month_year(value: str | None) -> str:
    """'2023-03-25' → '25/03/2023': the order an Arabic reader writes a date in; anything else as it is."""
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return value or ""


def iso_day(text: str) -> str | None:
    """'25/3/2023', '25-03-2023' or '٢٥/٠٣/٢٠٢٣' → '2023-03-25'; None when TEXT is not such a
    day (an ISO day or a typo is left to the search parameters' own check)."""
    found = DAY_MONTH_YEAR.fullmatch(text or "")
    if not found:
        return None
    day, month, year = (int(part.translate(INDIC_DIGITS)) for part in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def casualty_label(killed: int | None, injured: int | None) -> str:
    """'قتلى: 3، جرحى: 5' (the noun first, so no number agreement is needed); only stated figures."""
    parts = []
    if killed is not None:
        parts.append(f"قتلى: {killed}")
    if injured is not None:
        parts.append(f"جرحى: {injured}")
    return "، ".join(parts)


def event_chips(events: list[dict]) -> list[dict]:
    """One chip per sub-event type of a hit (a report often tells of several strikes), in the
    order first told: {"subtype", "label", "killed", "injured", "figures", "text"}, the figures
    its events state added up (None where none states one); TEXT is what the chip reads."""
    chips: dict[str, dict] = {}
    for event in events or []:
        chip = chips.setdefault(event["subtype"], {
            "subtype": event["subtype"], "label": event.get("label_ar") or event["subtype"],
            "killed": None, "injured": None})
        for key in ("killed", "injured"):
            if event.get(key) is not None:
                chip[key] = (chip[key] or 0) + event[key]
    for chip in chips.values():
        chip["figures"] = casualty_label(chip["killed"], chip["injured"])
        chip["text"] = f"{chip['label']} ({chip['figures']})" if chip["figures"] else chip["label"]
    return list(chips.values())


def date_range_label(start: str, end: str) -> str:
    """'من 1 يناير 2023 إلى 31 ديسمبر 2023', or one side only."""
    if start and end:
        return f"من {arabic_date(start)} إلى {arabic_date(end)}"
    return f"منذ {arabic_date(start)}" if start else f"حتى {arabic_date(end)}"


def bucket_range(value: str, bucket: str | None = None) -> tuple[str, str]:
    """The first and last day a histogram bucket covers, for its link."""
    if len(value) == 4:
        return f"{value}-01-01", f"{value}-12-31"
    if len(value) == 7:
        year, month = (int(p) for p in value.split("-"))
        following = date(year + (month == 12), month % 12 + 1, 1)
        return f"{value}-01", (following - timedelta(days=1)).isoformat()
    if bucket == "week":
        start = date.fromisoformat(value[:10])
        return start.isoformat(), (start + timedelta(days=6)).isoformat()
    return value[:10], value[:10]


def safe_marked(html: str) -> Markup:
    """Trust an engine snippet only if its sole tags are <mark>; otherwise show it as text."""
    if "<" in _MARK.sub("", html) or ">" in _MARK.sub("", html):
        return Markup(escape(_MARK.sub("", html)))
    return Markup(html)


Pairs = list[tuple[str, str]]


def state_url(path: str, pairs: Pairs) -> str:
    pairs = [(k, v) for k, v in pairs if v not in ("", None)]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def with_changes(pairs: Iterable[tuple[str, str]], *, set_: dict[str, str] | None = None,
                 toggle: tuple[str, str] | None = None, drop: Iterable[str] = (),
                 keep_page: bool = False) -> Pairs:
    """The current state with one change; any change of filters goes back to page 1."""
    drop = set(drop) | set(set_ or {})
    if not keep_page:
        drop.add("page")
    out = [(k, v) for k, v in pairs if k not in drop]
    if toggle is not None:
        out = [(k, v) for k, v in out if (k, v) != toggle] if toggle in out else out + [toggle]
    for key, value in (set_ or {}).items():
        out.append((key, value))
    return out
