"""The article schema: what a record must look like to be indexed, and what a bad one becomes.

Real feeds are messy, so the schema is lenient where meaning is not at stake (unknown fields
are ignored, dates come in the formats seen in the wild, control characters are stripped) and
strict where it is (content must exist, URLs must parse, sizes are bounded). A record that
fails becomes a quarantine entry naming its file, line or position, field and reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate

from .readers import Origin, Problem, RawRecord, excerpt_of

MAX_ID = 200
MAX_URL = 2_000
MAX_TITLE = 1_000
MAX_CONTENT = 1_000_000
MAX_SOURCE = 100
MAX_AUTHOR = 500
MIN_YEAR, MAX_YEAR = 1900, 2100
FIELD_ORDER = ("id", "url", "title", "content", "source", "author", "published")
EPOCH = dt.date(1970, 1, 1)

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
SPACE_RUN = re.compile(r"\s+")
ID_CHARS = re.compile(r"[^\s/\\?#]+")
DATE_PATTERNS = (
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?"), ("d", "m", "y")),
)
URL_CHECK = validate.URL(require_tld=False, schemes={"http", "https"},
                         error="not a valid http(s) URL")


def clean_text(value: str, single_line: bool = False) -> str:
    """Strip control characters (they break JSON consumers and terminals), unify newlines."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL.search(value):
        value = CONTROL.sub("", value)
    if single_line:
        value = SPACE_RUN.sub(" ", value)
    return value.strip()


def json_type(value: Any) -> str:
    """The JSON name of VALUE's type, for messages written to people who wrote JSON."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def parse_published(value: Any) -> dt.date:
    """The publication day of VALUE, as written (a time zone offset does not move the day)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValidationError(f"wrong type: expected a date such as 2015-07-21, got {json_type(value)}")
    text = value.strip()
    if not text:
        raise ValidationError("empty date")
    day: dt.date | None = None
    try:
        day = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text).date()
    except ValueError:
        for pattern, order in DATE_PATTERNS:
            match = pattern.fullmatch(text)
            if match:
                parts = dict(zip(order, (int(g) for g in match.groups())))
                try:
                    day = dt.date(parts["y"], parts["m"], parts["d"])
                except ValueError:
                    raise ValidationError(f"not a calendar date: {text[:40]!r}") from None
                break
        else:
            try:
                day = parsedate_to_datetime(text).date()
            except (TypeError, ValueError, IndexError):
                day = None
    if day is None:
        raise ValidationError(f"unrecognized date {text[:40]!r}: use YYYY-MM-DD or an ISO datetime")
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationError(f"date out of range ({MIN_YEAR}-{MAX_YEAR}): {text[:40]!r}")
    return day


class CleanString(fields.String):
    """A string with control characters stripped and surrounding space removed."""

    def __init__(self, *args: Any, single_line: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.single_line = single_line

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and self.name == "id":
            value = str(value)  # numeric ids are common in feeds
        if not isinstance(value, str):
            raise ValidationError(f"wrong type: expected text, got {json_type(value)}")
        return clean_text(value, self.single_line)



class PublishedDate(fields.Field):
    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> dt.date:
        return parse_published(value)


def check_url(value: str) -> None:
    if value:
        if len(value) > MAX_URL:
            raise ValidationError(f"longer than {MAX_URL} characters")
        URL_CHECK(value)


def check_content(value: str) -> None:
    if not value:
        raise ValidationError("required, must not be empty")
    if len(value) > MAX_CONTENT:
        raise ValidationError(f"longer than {MAX_CONTENT:,} characters")


def check_id(value: str) -> None:
    if not ID_CHARS.fullmatch(value):
        raise ValidationError("must not contain spaces, '/', '\\', '?' or '#'")


@dataclass(slots=True)
class Article:
    """A validated article, ready for analysis: the fields the index stores."""

    id: str
    url: str
    title: str
    content: str
    source: str
    author: str
    published: str | None
    content_hash: str
    partial: bool = False

    @property
    def published_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.published) if self.published else None

    @property
    def published_day(self) -> int | None:
        day = self.published_date
        return (day - EPOCH).days if day else None


class ArticleSchema(Schema):
    """The input article (CONTRACT.md): content required, everything else optional."""

    class Meta:
        unknown = EXCLUDE

    id = CleanString(load_default=None, allow_none=True,
                     validate=[validate.Length(max=MAX_ID, error=f"longer than {MAX_ID} characters"), check_id])
    url = CleanString(load_default="", allow_none=True, validate=check_url)
    title = CleanString(load_default="", allow_none=True, single_line=True,
                        validate=validate.Length(max=MAX_TITLE, error=f"longer than {MAX_TITLE:,} characters"))
    content = CleanString(required=True, validate=check_content,
                          error_messages={"required": "required", "null": "required, must be text"})
    source = CleanString(load_default="", allow_none=True, single_line=True,
                         validate=validate.Length(max=MAX_SOURCE, error=f"longer than {MAX_SOURCE} characters"))
    author = CleanString(load_default="", allow_none=True, single_line=True,
                         validate=validate.Length(max=MAX_AUTHOR, error=f"longer than {MAX_AUTHOR} characters"))
    published = PublishedDate(load_default=None, allow_none=True)
    partial = fields.Boolean(load_default=False, allow_none=True)

    @pre_load
    def map_aliases(self, data: Any, **kwargs: Any) -> Any:
        """SaudiNewsNet's `date_extracted` is its publication date; blank optional fields are absent."""
        if not isinstance(data, Mapping):
            raise ValidationError("an article must be a JSON object", "_schema")
        data = dict(data)
        if data.get("published") in (None, "") and data.get("date_extracted") not in (None, ""):
            data["published"] = data["date_extracted"]
        for name in ("id", "published"):
            if isinstance(data.get(name), str) and not data[name].strip():
                data[name] = None
        return data

    @post_load
    def make_article(self, data: dict[str, Any], **kwargs: Any) -> Article:
        title = data.get("title") or ""
        content = data["content"]
        url = data.get("url") or ""
        published = data.get("published")
        return Article(
            id=data.get("id") or derive_id(url, title, content),
            url=url,
            title=title,
            content=content,
            source=data.get("source") or "",
            author=data.get("author") or "",
            published=published.isoformat() if published else None,
            content_hash=content_hash(title, content),
            partial=bool(data.get("partial")),
        )


def content_hash(title: str, content: str) -> str:
    return hashlib.sha1(f"{title}\n{content}".encode("utf-8")).hexdigest()


def derive_id(url: str, title: str, content: str) -> str:
    """A stable id: from the URL when there is one (so re-crawls match), else from the text."""
    basis = url if url else f"{title}\n{content}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


_schema = ArticleSchema()


def validate_record(record: RawRecord) -> Article | Problem:
    """The Article of RECORD, or the quarantine entry saying why not."""
    try:
        return _schema.load(record.data)
    except ValidationError as error:
        field, reason = first_error(error.messages)
        return Problem(origin_for(record, field), field, reason, excerpt_of(record.data))


def first_error(messages: Any) -> tuple[str | None, str]:
    if not isinstance(messages, Mapping):
        return None, flatten(messages)
    for name in FIELD_ORDER:
        if name in messages:
            return name, flatten(messages[name])
    for name, value in messages.items():
        return (None if name == "_schema" else str(name)), flatten(value)
    return None, "invalid record"


def flatten(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(flatten(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {flatten(v)}" for k, v in value.items())
    return str(value)


def origin_for(record: RawRecord, field: str | None) -> Origin:
    origin = record.origin
    if field and record.field_lines and field in record.field_lines:
        return Origin(origin.file, origin.member, line=record.field_lines[field], position=origin.position)
    return origin
