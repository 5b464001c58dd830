"""marshmallow schemas of every API response: the OpenAPI document is generated from them and
the tests validate real responses against that document, so the contract cannot drift."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

ACTOR_TYPES = ["state_force", "armed_group", "government", "international", "person", "media", "other"]
PLACE_KINDS = ["country", "region", "governorate", "district", "city", "town", "site"]
DATE_KINDS = ["absolute", "relative"]


class PlaceRefSchema(Schema):
    id = fields.String(required=True)
    name_ar = fields.String(required=True)
    name_en = fields.String(required=True)


class ActorRefSchema(PlaceRefSchema):
    type = fields.String(required=True, validate=validate.OneOf(ACTOR_TYPES))


class StoryRefSchema(Schema):
    id = fields.String(required=True, metadata={"description": "The story's id: `story=<id>` lists its reports."})
    size = fields.Integer(required=True, metadata={"description": "Reports in the story (in the whole index)."})
    sources = fields.List(fields.String(), metadata={
        "description": "The sources that carried the story, the earliest report's first."})


class HitSchema(Schema):
    id = fields.String(required=True)
    url = fields.String(required=True, allow_none=True)
    title = fields.String(required=True)
    title_html = fields.String(metadata={"description": "The title, HTML-escaped, with <mark> around matched words."})
    source = fields.String(required=True, allow_none=True)
    published = fields.String(required=True, allow_none=True, metadata={"description": "YYYY-MM-DD"})
    score = fields.Float(required=True, allow_none=True)
    snippet = fields.String(required=True, metadata={"description": "HTML-escaped text; only <mark>…</mark> added."})
    places = fields.List(fields.Nested(PlaceRefSchema), required=True)
    actors = fields.List(fields.Nested(ActorRefSchema), required=True)
    event_dates = fields.List(fields.String(), required=True)
    story = fields.Nested(StoryRefSchema, required=True)


class FacetValueSchema(Schema):
    value = fields.String(required=True)
    label_ar = fields.String(required=True)
    label_en = fields.String(required=True)
    count = fields.Integer(required=True)
    selected = fields.Boolean(required=True)
    parents = fields.List(fields.String(), metadata={"description": "Place facets: ancestor ids, nearest first."})
    type = fields.String(validate=validate.OneOf(ACTOR_TYPES), metadata={"description": "Actor facets: the type."})


class DateBucketSchema(Schema):
    value = fields.String(required=True)
    count = fields.Integer(required=True)
    bucket = fields.String(validate=validate.OneOf(["day", "week", "month", "year"]),
                           metadata={"description": "What VALUE spans: a day, the week starting on it, a month, a year."})


class FacetsSchema(Schema):
    place = fields.List(fields.Nested(FacetValueSchema), required=True)
    actor = fields.List(fields.Nested(FacetValueSchema), required=True)
    source = fields.List(fields.Nested(FacetValueSchema), required=True)
    date = fields.List(fields.Nested(DateBucketSchema), required=True)


class SearchResultSchema(Schema):
    query = fields.Dict(required=True, metadata={"description": "Echo of the validated parameters."})
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    hits = fields.List(fields.Nested(HitSchema), required=True)
    facets = fields.Nested(FacetsSchema, required=True)
    suggestion = fields.String(required=True, allow_none=True)
    total_stories = fields.Integer(metadata={
        "description": "With collapse=story: the stories in the result (hits and pages count stories; "
                       "`total` and the facets still count reports)."})


class PlaceSchema(PlaceRefSchema):
    kind = fields.String(required=True, validate=validate.OneOf(PLACE_KINDS))
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)
    parents = fields.List(fields.String(), required=True)
    mentions = fields.List(fields.String(), required=True)


class ActorSchema(ActorRefSchema):
    mentions = fields.List(fields.String(), required=True)


class EventDateSchema(Schema):
    date = fields.String(required=True)
    text = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DATE_KINDS))


class RelatedSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    published = fields.String(required=True, allow_none=True)
    source = fields.String(required=True, allow_none=True)


class StoryArticleSchema(RelatedSchema):
    pass


class StorySchema(StoryRefSchema):
    articles = fields.List(fields.Nested(StoryArticleSchema), required=True, metadata={
        "description": "The story's reports, this one included, earliest first (at most 100)."})


class ArticleSchema(Schema):
    id = fields.String(required=True)
    url = fields.String(required=True, allow_none=True)
    title = fields.String(required=True)
    content = fields.String(required=True)
    source = fields.String(required=True, allow_none=True)
    author = fields.String(required=True, allow_none=True)
    published = fields.String(required=True, allow_none=True)
    places = fields.List(fields.Nested(PlaceSchema), required=True)
    actors = fields.List(fields.Nested(ActorSchema), required=True)
    dates = fields.List(fields.Nested(EventDateSchema), required=True)
    related = fields.List(fields.Nested(RelatedSchema))
    story = fields.Nested(StorySchema, required=True)


class StatsSchema(Schema):
    documents = fields.Integer(required=True)
    sources = fields.Integer(required=True)
    published_min = fields.String(required=True, allow_none=True)
    published_max = fields.String(required=True, allow_none=True)
    places = fields.Integer(required=True)
    actors = fields.Integer(required=True)
    built_at = fields.String(required=True)
    generation = fields.Integer(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True)
    generation = fields.Integer(required=True)
    documents = fields.Integer(required=True)


class SuggestItemSchema(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["place", "actor"]))
    name_ar = fields.String(required=True)
    name_en = fields.String(required=True)
    type = fields.String(metadata={"description": "Actor type or place kind."})


class SuggestResultSchema(Schema):
    prefix = fields.String(required=True)
    items = fields.List(fields.Nested(SuggestItemSchema), required=True)


class SuggestArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # like the search: a cache-buster or a stray parameter is not an error

    prefix = fields.String(required=True, validate=validate.Length(min=1, max=100))
    kind = fields.String(load_default=None, validate=validate.OneOf(["place", "actor"]))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class ErrorSchema(Schema):
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
