"""News-site pages of our own design wrapped around corpus/ articles, for readers, fetch and benchmarks.

Real Arabic news pages bury the article in boilerplate (menus, "most read" boxes, related links,
comments, footers), declare their encoding in the HTTP header, in a meta tag or nowhere, and
write their dates in meta tags, JSON-LD or only as visible Arabic (sometimes Hijri) text. Each
template below reproduces one such habit so extraction can be measured against the article it
wraps. Every sentence here is our own and every outlet fictional.

    page = render_page(article, "wadi")          # bytes, in the template's encoding
    TEMPLATES["wadi"].content_type               # what an HTTP server should send with it
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit

from hijridate import Gregorian

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
SOURCES = REPO / "indexer" / "entities" / "data" / "sources.jsonl"

GREGORIAN_MONTHS_AR = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
                       "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
LEVANTINE_MONTHS_AR = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
                       "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول")
HIJRI_MONTHS_AR = ("محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
                   "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة")
WEEKDAYS_AR = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")

MENU = ("الرئيسية", "سياسة", "اقتصاد", "رياضة", "ثقافة", "منوعات", "فيديو", "رأي")
MOST_READ = (
    "ارتفاع أسعار الخبز في الأسواق الشعبية مع بداية الشتاء",
    "منتخب الشباب يتأهل إلى الدور النهائي بعد فوز صعب",
    "افتتاح معرض الكتاب السنوي بمشاركة مئة دار نشر",
    "موجة حر جديدة تضرب المنطقة نهاية الأسبوع",
    "طلاب الجامعات يبدؤون امتحانات الفصل الأول",
)
RELATED = (
    "قراءة في خريطة التحالفات بعد الانتخابات المحلية",
    "مزارعو السهل يشكون شح المياه وغلاء الأسمدة",
    "حوار مع مهندس يعيد ترميم الأسواق القديمة",
    "كيف تغيرت حركة النقل بين المدن خلال عقد",
)
COMMENTS = (
    ("أبو سامر", "نتمنى أن يعود الهدوء قريبا وأن يرجع الناس إلى بيوتهم سالمين."),
    ("مريم", "التغطية جيدة لكن ينقصها رأي السكان أنفسهم، ننتظر تقريرا أوسع."),
    ("قارئ من الشمال", "شكرا للمراسل على نقل الصورة من الميدان رغم الصعوبات."),
)
FOOTER = ("جميع الحقوق محفوظة", "من نحن", "اتصل بنا", "سياسة الخصوصية", "أعلن معنا")
SECTION_LINES = (
    "تابعوا آخر الأخبار العاجلة والتقارير الميدانية على مدار الساعة",
    "اشترك في نشرتنا البريدية لتصلك أهم القصص كل صباح",
)


@dataclass(frozen=True)
class Template:
    """One news-site design: how its pages are encoded and what an HTTP server sends with them.

    `declares_charset` says whether the page itself names its encoding (a meta tag);
    `http_charset` is the charset an HTTP server should put in Content-Type (None: none)."""

    name: str
    encoding: str
    declares_charset: bool
    http_charset: str | None
    dates: str
    render: Callable[["Site", dict], str]

    @property
    def content_type(self) -> str:
        return f"text/html; charset={self.http_charset}" if self.http_charset else "text/html"


@dataclass(frozen=True)
class Site:
    """The outlet a page is published by, taken from the article (domain and sources.jsonl)."""

    domain: str
    name: str
    source: str


def load_sources() -> dict[str, str]:
    names = {}
    for line in SOURCES.read_text("utf-8").splitlines():
        if line.strip().startswith("{"):
            entry = json.loads(line)
            names[entry["id"]] = entry["name_ar"]
    return names


_NAMES: dict[str, str] | None = None


def site_of(article: dict) -> Site:
    global _NAMES
    if _NAMES is None:
        _NAMES = load_sources()
    domain = urlsplit(article.get("url") or "https://news.example/").hostname or "news.example"
    source = article.get("source") or ""
    return Site(domain, _NAMES.get(source, domain), source)


def e(text: str) -> str:
    return html.escape(text, quote=True)


def paragraphs(article: dict) -> list[str]:
    return [p.strip() for p in article["content"].split("\n\n") if p.strip()]


def published_day(article: dict) -> dt.date | None:
    value = article.get("published") or ""
    return dt.date.fromisoformat(value[:10]) if value else None


def gregorian_text(day: dt.date, months: tuple[str, ...] = GREGORIAN_MONTHS_AR) -> str:
    return f"{WEEKDAYS_AR[day.weekday()]} {day.day} {months[day.month - 1]} {day.year}"


def hijri_text(day: dt.date) -> str:
    h = Gregorian(day.year, day.month, day.day).to_hijri()
    return f"{h.day} {HIJRI_MONTHS_AR[h.month - 1]} {h.year} هـ"


def iso_datetime(article: dict) -> str:
    value = article.get("published") or ""
    return value if "T" in value else (f"{value}T08:00:00+03:00" if value else "")


def menu(tag: str = "li") -> str:
    return "".join(f'<{tag}><a href="/section/{i}">{e(label)}</a></{tag}>' for i, label in enumerate(MENU))


def link_list(titles: Iterable[str], prefix: str) -> str:
    return "".join(f'<li><a href="/{prefix}/{i}">{e(t)}</a></li>' for i, t in enumerate(titles))


def comments_block(tag: str = "div") -> str:
    items = "".join(f'<{tag} class="comment"><b class="who">{e(who)}</b><p>{e(text)}</p>'
                    f'<span class="reply">رد</span></{tag}>' for who, text in COMMENTS)
    return f'<section id="comments"><h3>التعليقات ({len(COMMENTS)})</h3>{items}' \
           f'<form><textarea placeholder="أضف تعليقك"></textarea><button>إرسال</button></form></section>'


def footer(site: Site) -> str:
    links = " | ".join(f'<a href="/p/{i}">{e(t)}</a>' for i, t in enumerate(FOOTER[1:]))
    return f'<footer><p>{links}</p><p>{e(FOOTER[0])} © {e(site.name)}</p></footer>'


def json_ld(site: Site, article: dict, graph: bool = False, ascii_only: bool = False) -> str:
    """ASCII_ONLY: \\u escapes, as a CMS writes JSON into a page whose encoding lacks characters."""
    news = {"@type": "NewsArticle", "headline": article["title"], "mainEntityOfPage": article.get("url", ""),
            "publisher": {"@type": "Organization", "name": site.name}}
    if article.get("published"):
        news["datePublished"] = iso_datetime(article)
    if article.get("author"):
        news["author"] = {"@type": "Person", "name": article["author"]}
    if graph:
        crumbs = {"@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "الرئيسية", "item": f"https://{site.domain}/"},
            {"@type": "ListItem", "position": 2, "name": "أخبار", "item": f"https://{site.domain}/news"}]}
        data = {"@context": "https://schema.org", "@graph": [crumbs, news]}
    else:
        data = {"@context": "https://schema.org", **news}
    text = json.dumps(data, ensure_ascii=ascii_only).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def head(site: Site, title: str, charset_meta: str = "", extra: str = "") -> str:
    return (f'<head>{charset_meta}<title>{e(title)} | {e(site.name)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="stylesheet" href="/static/site.css">{extra}</head>')


# --- the templates -------------------------------------------------------------------------

def render_manara(site: Site, article: dict) -> str:
    """Modern HTML5: <article>, JSON-LD NewsArticle, <time datetime>, UTF-8 meta charset."""
    day = published_day(article)
    byline = f'<p class="byline">{e(article["author"])}</p>' if article.get("author") else ""
    when = f'<time datetime="{e(iso_datetime(article))}">{e(gregorian_text(day))}</time>' if day else ""
    body = "".join(f"<p>{e(p)}</p>" for p in paragraphs(article))
    return (f'<!DOCTYPE html><html lang="ar" dir="rtl">'
            + head(site, article["title"], '<meta charset="utf-8">', json_ld(site, article))
            + f'<body><header class="masthead"><a class="logo" href="/">{e(site.name)}</a>'
            f'<nav><ul>{menu()}</ul></nav><div class="ticker">عاجل: {e(SECTION_LINES[0])}</div></header>'
            f'<main><article><h1>{e(article["title"])}</h1>{byline}{when}'
            f'<div class="share"><a href="#">فيسبوك</a> <a href="#">تويتر</a> <a href="#">واتساب</a></div>'
            f'<div class="article-body">{body}</div></article>'
            f'<aside class="related"><h3>مواضيع ذات صلة</h3><ul>{link_list(RELATED, "related")}</ul></aside>'
            f'{comments_block()}</main>'
            f'<aside class="most-read"><h3>الأكثر قراءة</h3><ol>{link_list(MOST_READ, "top")}</ol></aside>'
            + footer(site) + '</body></html>')


def render_wadi(site: Site, article: dict) -> str:
    """A 2000s table layout in windows-1256 that declares no charset anywhere; visible date only."""
    day = published_day(article)
    byline = f'<font class="author">كتب: {e(article["author"])}</font><br>' if article.get("author") else ""
    when = f'<font class="date">{e(gregorian_text(day))}</font><br>' if day else ""
    body = "<br><br>\n".join(e(p) for p in paragraphs(article))
    menu_cells = "".join(f'<td><a href="/s{i}.asp">{e(t)}</a></td>' for i, t in enumerate(MENU))
    most = "".join(f'<tr><td><a href="/n{i}.asp">{e(t)}</a></td></tr>' for i, t in enumerate(MOST_READ))
    return (f'<html dir="rtl">' + head(site, article["title"])
            + f'<body bgcolor="#ffffff"><table width="100%" border="0"><tr><td colspan="2">'
            f'<img src="/img/logo.gif" alt="{e(site.name)}"><b>{e(site.name)}</b></td></tr>'
            f'<tr>{menu_cells}</tr></table>'
            f'<table width="100%"><tr><td width="70%" valign="top">'
            f'<table><tr><td class="title"><font size="5"><b>{e(article["title"])}</b></font></td></tr>'
            f'<tr><td>{byline}{when}</td></tr>'
            f'<tr><td class="text"><font size="3">{body}</font></td></tr>'
            f'<tr><td><a href="/print.asp">طباعة</a> | <a href="/send.asp">أرسل لصديق</a></td></tr></table>'
            f'</td><td width="30%" valign="top"><table class="box"><tr><th>الأكثر قراءة</th></tr>{most}</table>'
            f'<table class="box"><tr><th>استطلاع</th></tr><tr><td>هل تتابع الأخبار يوميا؟ نعم / لا</td></tr></table>'
            f'</td></tr></table>'
            f'<table width="100%"><tr><td align="center">{e(FOOTER[0])} {e(site.name)} 2003-2025</td></tr></table>'
            f'</body></html>')


def render_nabd(site: Site, article: dict) -> str:
    """Div soup with Open Graph / article: meta tags and a visible Hijri date with its Gregorian."""
    day = published_day(article)
    meta = (f'<meta property="og:title" content="{e(article["title"])}">'
            f'<meta property="og:site_name" content="{e(site.name)}">'
            f'<meta property="og:type" content="article">'
            f'<meta property="og:url" content="{e(article.get("url", ""))}">')
    if day:
        meta += f'<meta property="article:published_time" content="{e(iso_datetime(article))}">'
    if article.get("author"):
        meta += f'<meta name="author" content="{e(article["author"])}">'
    when = (f'<div class="post-date">{e(hijri_text(day))} الموافق {e(gregorian_text(day))} م</div>'
            if day else "")
    byline = f'<div class="post-author">{e(article["author"])}</div>' if article.get("author") else ""
    body = "".join(f'<p class="txt">{e(p)}</p>' for p in paragraphs(article))
    return ('<!DOCTYPE html><html lang="ar" dir="rtl">'
            + head(site, article["title"], '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', meta)
            + f'<body><div id="wrap"><div class="top-bar"><div class="logo">{e(site.name)}</div>'
            f'<div class="menu">{menu("span")}</div><div class="search"><input placeholder="بحث"></div></div>'
            f'<div class="breadcrumb"><a href="/">الرئيسية</a> › <a href="/news">أخبار</a></div>'
            f'<div class="col-main"><div class="post"><h1 class="post-title">{e(article["title"])}</h1>'
            f'<div class="post-meta">{when}{byline}</div>'
            f'<div class="post-content">{body}</div>'
            f'<div class="tags">وسوم: <a href="/tag/1">أخبار</a> <a href="/tag/2">تقارير</a></div></div>'
            f'<div class="related-posts"><h4>اقرأ أيضا</h4><ul>{link_list(RELATED, "post")}</ul></div></div>'
            f'<div class="col-side"><div class="widget"><h4>الأكثر قراءة</h4><ul>{link_list(MOST_READ, "top")}</ul></div>'
            f'<div class="widget newsletter">{e(SECTION_LINES[1])}</div></div>'
            + footer(site) + '</div></body></html>')


def render_sahel(site: Site, article: dict) -> str:
    """ISO-8859-6 named in a meta tag, a "بقلم" byline, Levantine month names and a long comment thread."""
    day = published_day(article)
    byline = f'<div class="by">بقلم: <span>{e(article["author"])}</span></div>' if article.get("author") else ""
    when = f'<div class="when">{e(gregorian_text(day, LEVANTINE_MONTHS_AR))}</div>' if day else ""
    body = "".join(f"<p>{e(p)}</p>" for p in paragraphs(article))
    thread = "".join(
        f'<li class="c"><div class="c-head">{e(who)} — قبل {n + 2} ساعات</div><div class="c-body">{e(text)} '
        f'{e(COMMENTS[(n + 1) % len(COMMENTS)][1])}</div></li>'
        for n, (who, text) in enumerate(COMMENTS * 2))
    return ('<html lang="ar" dir="rtl">'
            + head(site, article["title"], '<meta charset="iso-8859-6">')
            + f'<body><div class="header"><h2 class="brand">{e(site.name)}</h2><ul class="nav">{menu()}</ul></div>'
            f'<div class="content"><div class="story"><h1>{e(article["title"])}</h1>{byline}{when}'
            f'<div class="story-text">{body}</div></div>'
            f'<div class="social">شارك: <a href="#">فيسبوك</a> <a href="#">تلغرام</a></div>'
            f'<div class="discussion"><h3>آراء القراء</h3><ul>{thread}</ul></div></div>'
            f'<div class="sidebar"><h3>الأكثر قراءة</h3><ul>{link_list(MOST_READ, "m")}</ul>'
            f'<h3>روابط ذات صلة</h3><ul>{link_list(RELATED, "r")}</ul></div>'
            + footer(site) + '</body></html>')


def render_rafidain(site: Site, article: dict) -> str:
    """windows-1256 named only in the HTTP header; JSON-LD @graph; microdata articleBody with an
    "اقرأ أيضاً" box between paragraphs."""
    day = published_day(article)
    parts = [f"<p>{e(p)}</p>" for p in paragraphs(article)]
    box = f'<aside class="read-also"><b>اقرأ أيضاً:</b> <a href="/r/9">{e(RELATED[0])}</a></aside>'
    parts.insert(min(2, len(parts)), box)
    byline = (f'<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
              f'<span itemprop="name">{e(article["author"])}</span></span>') if article.get("author") else ""
    when = f'<span class="date">{e(gregorian_text(day))}</span>' if day else ""
    return ('<!DOCTYPE html><html lang="ar" dir="rtl">'
            + head(site, article["title"], "", json_ld(site, article, graph=True, ascii_only=True))
            + f'<body><div class="site-header"><a href="/" class="brand">{e(site.name)}</a>'
            f'<ul class="main-menu">{menu()}</ul></div>'
            f'<div class="container" itemscope itemtype="https://schema.org/NewsArticle">'
            f'<h1 itemprop="headline">{e(article["title"])}</h1><div class="meta">{byline} {when}</div>'
            f'<div itemprop="articleBody">{"".join(parts)}</div>'
            f'<div class="newsletter"><h4>النشرة البريدية</h4><p>{e(SECTION_LINES[1])}</p>'
            f'<input type="email"><button>اشترك</button></div></div>'
            f'<div class="popular"><h3>الأكثر قراءة</h3><ol>{link_list(MOST_READ, "p")}</ol></div>'
            + footer(site) + '</body></html>')


def render_shurfa(site: Site, article: dict) -> str:
    """A blog-style page: body lines separated by <br>, not <p>; only a visible Hijri date."""
    day = published_day(article)
    when = f'<div class="hdate">{e(hijri_text(day))}</div>' if day else ""
    author = f'<span class="author-name">{e(article["author"])}</span>' if article.get("author") else ""
    body = "<br /><br />".join(e(p) for p in paragraphs(article))
    return ('<!DOCTYPE html><html dir="rtl">'
            + head(site, article["title"], '<meta charset="UTF-8">')
            + f'<body><div id="top"><div class="logo">{e(site.name)}</div><div class="links">{menu("span")}</div></div>'
            f'<div id="page"><div class="entry"><h2 class="entry-title">{e(article["title"])}</h2>'
            f'<div class="entry-info">{when}{author}</div>'
            f'<div class="entry-text">{body}</div></div>'
            f'<div class="after-entry"><h4>تدوينات أخرى</h4><ul>{link_list(RELATED, "b")}</ul></div>'
            f'{comments_block("li")}</div>'
            f'<div id="side"><h4>الأكثر زيارة</h4><ul>{link_list(MOST_READ, "v")}</ul></div>'
            + footer(site) + '</body></html>')


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("manara", "utf-8", True, "utf-8", "json-ld, time element", render_manara),
    Template("wadi", "windows-1256", False, None, "visible Arabic date", render_wadi),
    Template("nabd", "utf-8", True, "utf-8", "article:published_time, visible Hijri + Gregorian", render_nabd),
    Template("sahel", "iso-8859-6", True, "iso-8859-6", "visible Levantine month names", render_sahel),
    Template("rafidain", "windows-1256", False, "windows-1256", "json-ld @graph", render_rafidain),
    Template("shurfa", "utf-8", True, "utf-8", "visible Hijri date only", render_shurfa),
)}


def render_ufuq(site: Site, article: dict) -> str:
    """Written after the reader was tuned, to score it blind first: paragraphs as <div>s in a
    <section>, an <address> byline, a numeric date line, long teasers with summaries in the
    sidebar and a numbered comment list."""
    day = published_day(article)
    when = f'<div class="stamp">تاريخ النشر: {day.year}/{day.month:02d}/{day.day:02d} - 10:30</div>' if day else ""
    author = f'<address>{e(article["author"])}</address>' if article.get("author") else ""
    body = "".join(f'<div class="para">{e(p)}</div>' for p in paragraphs(article))
    teasers = "".join(f'<div class="card"><a href="/t/{i}">{e(t)}</a><div class="sum">{e(SECTION_LINES[i % 2])}</div></div>'
                      for i, t in enumerate(MOST_READ + RELATED))
    notes = "".join(f"<li><strong>{e(who)}</strong>: {e(text)}</li>" for who, text in COMMENTS)
    return ('<!DOCTYPE html><html lang="ar" dir="rtl">'
            + head(site, article["title"], '<meta charset="utf-8">')
            + f'<body><div class="bar">{menu("span")}</div><div class="brand-line">{e(site.name)} — '
            f'{e(SECTION_LINES[0])}</div><div class="layout"><section class="story-body">'
            f'<h1>{e(article["title"])}</h1>{author}{when}{body}'
            f'<ol class="notes">{notes}</ol></section><div class="rail">{teasers}</div></div>'
            + footer(site) + '</body></html>')


# Scored apart by tests/bench/extraction_html.py. Written after the reader was tuned and scored
# blind once (README: Web pages, WARC and feeds); the fixes it prompted make it no longer blind.
BLIND_TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("ufuq", "utf-8", True, "utf-8", "numeric visible date only", render_ufuq),
)}


def encode(text: str, encoding: str) -> bytes:
    """Characters the encoding lacks become numeric references, as publishing systems write them."""
    return text.encode(encoding, errors="xmlcharrefreplace")


def render_page(article: dict, template: str) -> bytes:
    """ARTICLE (a corpus/ record) as a full news page in TEMPLATE's design and encoding."""
    chosen = TEMPLATES.get(template) or BLIND_TEMPLATES[template]
    return encode(chosen.render(site_of(article), article), chosen.encoding)


# --- pages that are not articles -----------------------------------------------------------

def page_shell(site: Site, title: str, main: str) -> str:
    return ('<!DOCTYPE html><html lang="ar" dir="rtl">' + head(site, title, '<meta charset="utf-8">')
            + f'<body><header><a href="/">{e(site.name)}</a><nav><ul>{menu()}</ul></nav></header>'
            f'<main>{main}</main>'
            f'<aside><h3>الأكثر قراءة</h3><ol>{link_list(MOST_READ, "top")}</ol></aside>'
            + footer(site) + '</body></html>')


def render_section_front(articles: list[dict], section: str = "أخبار") -> bytes:
    """A section's front page: a list of teasers (title, first sentence, link), no article."""
    site = site_of(articles[0]) if articles else Site("news.example", "news.example", "")
    teasers = "".join(
        f'<div class="teaser"><h3><a href="{e(a.get("url", "#"))}">{e(a["title"])}</a></h3>'
        f'<p>{e(paragraphs(a)[0].split("،")[0][:120])}…</p></div>' for a in articles)
    more = '<div class="pager"><a href="?page=2">الصفحة التالية</a></div>'
    return encode(page_shell(site, section, f'<h1>{e(section)}</h1>{teasers}{more}'), "utf-8")


def render_not_found(domain: str = "news.example") -> bytes:
    """The body a site serves for a page that does not exist (often with status 200)."""
    site = Site(domain, domain, "")
    main = ('<h1>عذراً، الصفحة غير موجودة</h1><p>ربما نُقلت الصفحة أو حُذفت. '
            'يمكنك العودة إلى <a href="/">الصفحة الرئيسية</a> أو استخدام البحث.</p><p>خطأ 404</p>')
    return encode(page_shell(site, "الصفحة غير موجودة", main), "utf-8")


def render_video_page(article: dict) -> bytes:
    """A video page: a player, the title and a one-line caption, no written report."""
    site = site_of(article)
    meta = '<meta property="og:type" content="video.other">'
    main = (f'<h1>{e(article["title"])}</h1><video controls src="/media/clip.mp4" poster="/media/clip.jpg"></video>'
            f'<p class="caption">فيديو: مشاهد من الموقع.</p>')
    text = page_shell(site, article["title"], main).replace("<title>", meta + "<title>", 1)
    return encode(text, "utf-8")


# --- feeds -------------------------------------------------------------------------------

def summary_of(article: dict) -> str:
    """The feed's short description: the first sentence of the first paragraph."""
    first = paragraphs(article)[0]
    return first.split("، ")[0].split(". ")[0].rstrip(".") + "."


def html_body(article: dict) -> str:
    return "".join(f"<p>{e(p)}</p>" for p in paragraphs(article))


def rfc822(article: dict) -> str:
    from email.utils import format_datetime

    value = iso_datetime(article)
    return format_datetime(dt.datetime.fromisoformat(value)) if value else ""


def render_rss(articles: list[dict], full_text: bool = True, title: str = "آخر الأخبار") -> bytes:
    """RSS 2.0; with FULL_TEXT each item carries content:encoded, else only a description."""
    site = site_of(articles[0]) if articles else Site("news.example", "news.example", "")
    items = []
    for a in articles:
        item = (f'<item><title>{e(a["title"])}</title><link>{e(a.get("url", ""))}</link>'
                f'<guid isPermaLink="true">{e(a.get("url", ""))}</guid>'
                f'<description>{e(summary_of(a))}</description>')
        if a.get("published"):
            item += f"<pubDate>{rfc822(a)}</pubDate>"
        if a.get("author"):
            item += f"<dc:creator>{e(a['author'])}</dc:creator>"
        if full_text:
            item += f"<content:encoded><![CDATA[{html_body(a)}]]></content:encoded>"
        items.append(item + "</item>")
    text = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel><title>{e(site.name)} - {e(title)}</title><link>https://{e(site.domain)}/</link>'
            f'<description>{e(SECTION_LINES[0])}</description><language>ar</language>'
            + "".join(items) + "</channel></rss>")
    return text.encode("utf-8")


def render_atom(articles: list[dict], full_text: bool = True, title: str = "آخر الأخبار") -> bytes:
    """Atom 1.0; with FULL_TEXT each entry carries <content type="html">, else only <summary>."""
    site = site_of(articles[0]) if articles else Site("news.example", "news.example", "")
    entries = []
    for a in articles:
        when = iso_datetime(a) or "2000-01-01T00:00:00Z"
        entry = (f'<entry><title>{e(a["title"])}</title><link rel="alternate" href="{e(a.get("url", ""))}"/>'
                 f'<id>{e(a.get("url", "") or "urn:x:" + a.get("id", ""))}</id>'
                 f'<published>{when}</published><updated>{when}</updated>'
                 f'<summary>{e(summary_of(a))}</summary>')
        if a.get("author"):
            entry += f"<author><name>{e(a['author'])}</name></author>"
        if full_text:
            entry += f'<content type="html">{e(html_body(a))}</content>'
        entries.append(entry + "</entry>")
    text = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">'
            f'<title>{e(site.name)} - {e(title)}</title><id>https://{e(site.domain)}/</id>'
            f'<link href="https://{e(site.domain)}/"/><updated>2025-01-01T00:00:00Z</updated>'
            + "".join(entries) + "</feed>")
    return text.encode("utf-8")


# --- the articles ------------------------------------------------------------------------

def corpus_articles(limit: int | None = None) -> list[dict]:
    """corpus/*.jsonl records in file order (the articles the pages wrap)."""
    out: list[dict] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out[:limit] if limit is not None else out


def article_pages(count: int) -> list[tuple[dict, str, bytes]]:
    """COUNT (article, template name, page) triples, templates taken in turn."""
    names = list(TEMPLATES)
    articles = corpus_articles()
    return [(a, names[i % len(names)], render_page(a, names[i % len(names)]))
            for i, a in enumerate(articles[:count])]
