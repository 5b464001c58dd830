"""Search parameters: one marshmallow schema for the CLI, the API, the page and the OpenAPI document.

parse_params() checks everything that needs no index (lengths, numbers, dates, choices);
names of places and actors are resolved against the live generation's entities by the Engine,
which reports an unknown name through the same SearchParamsError shape: {field: [reason]}.
Empty values ("from=" from a form with a blank date) mean "not given", never an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Any, Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

MAX_QUERY = 1_000
MAX_PER_PAGE = 100
MAX_DEPTH = 10_000
MAX_FILTER_VALUES = 50
MAX_NAME = 200
MAX_KILLED = 1_000_000
SORTS = ("relevance", "newest", "oldest", "killed")
DATE_FIELDS = ("published", "event")
COLLAPSE = ("none", "story")
MAX_STORY_ID = 512
LIST_FIELDS = ("place", "actor", "source", "event")


class SearchParamsError(ValueError):
    """Bad search parameters: ERRORS maps each field to its reasons (the API's 400 body)."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {str(k): [str(m) for m in v] for k, v in errors.items()}
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class Day(fields.Date):
    """A YYYY-MM-DD day, with a message that says which format is wanted."""

    default_error_messages = {"invalid": "not a valid date: use YYYY-MM-DD (for example 2015-07-21)",
                              "format": "not a valid date: use YYYY-MM-DD"}


class Count(fields.Integer):
    """A whole number written as digits (ASCII or Arabic-Indic, an optional sign): Python's int()
    would also take `5_0` for 50."""

    def _validated(self, value: Any) -> int | None:
        if isinstance(value, str) and not value.lstrip("+-").isdecimal():
            raise self.make_error("invalid")
        return super()._validated(value)


def _text_list(description: str) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=MAX_NAME)),
        load_default=list, validate=validate.Length(max=MAX_FILTER_VALUES),
        metadata={"description": description})


class SearchParamsSchema(Schema):
    """Query-string parameters of /api/search, /api/search.csv, /feed.atom and the search page."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default="", validate=validate.Length(max=MAX_QUERY), metadata={
        "description": 'Words (ANDed), "phrases", OR/أو, -exclusion, (groups), title:/source:/place:/actor: '
                       "prefixes, a trailing * for prefixes. Empty: browse by filters, newest first."})
    place = _text_list("Place id, or Arabic/English name or alias; repeatable (ORed). Includes sub-places.")
    actor = _text_list("Actor id, or Arabic/English name or alias; repeatable (ORed).")
    source = _text_list("Source id or name; repeatable (ORed).")
    event = _text_list("ACLED event type or sub-event type id (air_drone_strike, battles, …) or its Arabic/"
                       "English label; repeatable (ORed). A type includes its sub-event types.")
    min_killed = Count(load_default=None, allow_none=True, strict=False,
                                validate=validate.Range(min=0, max=MAX_KILLED), metadata={
                                    "description": "Only reports whose stated killed total is at least this "
                                                   "(reports that state none are left out when it is given)."})
    date_from = Day(data_key="from", load_default=None, allow_none=True,
                    metadata={"description": "First day (YYYY-MM-DD), inclusive."})
    date_to = Day(data_key="to", load_default=None, allow_none=True,
                  metadata={"description": "Last day (YYYY-MM-DD), inclusive."})
    date_field = fields.String(load_default="published", validate=validate.OneOf(DATE_FIELDS),
                               metadata={"description": "Filter and histogram on the publication day or on "
                                                        "the event dates found in the text."})
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS), metadata={
        "description": "relevance (newest first when q is empty), newest or oldest by publication day, or "
                       "killed: the report's killed total, highest first (newest first among equals; "
                       "reports that state none last)."})
    page = Count(load_default=1, strict=False, validate=validate.Range(min=1, max=MAX_DEPTH))
    per_page = Count(load_default=10, strict=False, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    story = fields.String(load_default=None, validate=validate.Length(min=1, max=MAX_STORY_ID), metadata={
        "description": "Only the reports of this story (a hit's `story.id`). An unknown story is a 400."})
    collapse = fields.String(load_default="none", validate=validate.OneOf(COLLAPSE), metadata={
        "description": "story: one hit per story (its best-ranked report), paged by story; `total` still "
                       "counts reports and `total_stories` counts stories. none: every report."})
    entities = fields.Boolean(load_default=True, metadata={
        "description": "Also match documents whose extracted places/actors are named by the query in any "
                       "alias (تنظيم الدولة finds داعش). Default on."})
    expand = fields.Boolean(load_default=True, metadata={
        "description": "Also match the near-synonyms of plain words from a curated table of conflict "
                       "reporting (مقتل finds استشهاد, مصرع, لقي حتفه; جنود finds رجال أمن), scored lower "
                       "than the typed words; never inside phrases, exclusions or field prefixes. The "
                       "result's `expansions` lists them. With it on, a query of three or more plain words whose AND "
                       "finds fewer than 10 reports is relaxed to reports with most of its words (`relaxed`). "
                       "Default on; false searches all the words exactly as typed."})

    @validates_schema
    def check_combination(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, list[str]] = {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            errors["to"] = [f"must not be before from ({start.isoformat()})"]
        page, per_page = data.get("page", 1), data.get("per_page", 10)
        if page * per_page > MAX_DEPTH:
            errors["page"] = [f"page × per_page must be at most {MAX_DEPTH:,}; the last page for "
                              f"per_page={per_page} is {MAX_DEPTH // per_page}"]
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    place: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    event: tuple[str, ...] = ()
    min_killed: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    date_field: str = "published"
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    entities: bool = True
    expand: bool = True
    story: str | None = None
    collapse: str = "none"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def echo(self, **resolved: list[str]) -> dict[str, Any]:
        """The validated parameters as the result's `query` object (names resolved to ids)."""
        data: dict[str, Any] = {}
        for key in ECHOED:  # built by hand: dataclasses.asdict() cost ~70 µs a search
            data[key] = list(resolved.get(key, getattr(self, key))) if key in LIST_FIELDS else getattr(self, key)
        data["from"] = self.date_from.isoformat() if self.date_from else None
        data["to"] = self.date_to.isoformat() if self.date_to else None
        return data


ECHOED = tuple(f.name for f in dataclass_fields(SearchParams) if f.name not in ("extra", "date_from", "date_to"))


def _clean(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Drop blank values; turn single list values into lists; keep everything else for marshmallow."""
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        if value is None:
            continue
        if key in LIST_FIELDS:
            items = value if isinstance(value, (list, tuple)) else [value]
            items = [v.strip() if isinstance(v, str) else v for v in items if v is not None]
            items = [v for v in items if v != ""]
            if items:
                out[key] = items
            continue
        if isinstance(value, str):
            if key != "q":
                value = value.strip()
            if value == "" and key != "q":
                continue
        out[key] = value
    return out


def _messages(error: ValidationError) -> dict[str, list[str]]:
    raw = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
    out: dict[str, list[str]] = {}
    for key, value in raw.items():
        if isinstance(value, dict):  # a list field: {index: [messages]}
            value = [f"item {i + 1 if isinstance(i, int) else i}: {' '.join(map(str, m))}" for i, m in value.items()]
        elif not isinstance(value, list):
            value = [value]
        out[str(key)] = [str(m) for m in value]
    return out


def parse_params(mapping: Mapping[str, Any]) -> SearchParams:
    """Validated SearchParams from a query-string-like MAPPING; SearchParamsError otherwise."""
    try:
        data = SearchParamsSchema().load(_clean(mapping))
    except ValidationError as error:
        raise SearchParamsError(_messages(error)) from None
    q = data["q"].replace("\x00", " ")
    return SearchParams(
        q=q, place=tuple(data["place"]), actor=tuple(data["actor"]), source=tuple(data["source"]),
        event=tuple(data["event"]), min_killed=data["min_killed"],
        date_from=data["date_from"], date_to=data["date_to"], date_field=data["date_field"],
        sort=data["sort"], page=data["page"], per_page=data["per_page"], entities=data["entities"],
        expand=data["expand"], story=data["story"], collapse=data["collapse"])
