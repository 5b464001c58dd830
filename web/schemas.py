"""marshmallow schemas of every API response: the OpenAPI document is generated from them and
the tests validate real responses against that document, so the contract cannot drift."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

ACTOR_TYPES = ["state_force", "armed_group", "government", "international", "person", "media", "other"]
PLACE_KINDS = ["country", "region", "governorate", "district", "city", "town", "site"]
DATE_KINDS = ["absolute", "relative"]
CSV_COLUMNS = ("id", "published", "source", "title", "url", "places", "actors", "event_dates", "snippet", "score",
               "killed", "injured", "events")  # /api/search.csv, one row per hit


class PlaceRefSchema(Schema):
    id = fields.String(required=True)
    name_ar = fields.String(required=True)
    name_en = fields.String(required=True)


class ActorRefSchema(PlaceRefSchema):
    type = fields.String(required=True, validate=validate.OneOf(ACTOR_TYPES))


class HitEventSchema(Schema):
    subtype = fields.String(required=True, metadata={"description": "ACLED sub-event type id (air_drone_strike…)."})
    type = fields.String(metadata={"description": "Its ACLED event type id."})
    label_ar = fields.String(metadata={"description": "Arabic name of the sub-event type."})
    label_en = fields.String(metadata={"description": "ACLED's English name of the sub-event type."})
    killed = fields.Integer(required=True, allow_none=True, metadata={"description": "null: not stated."})
    injured = fields.Integer(required=True, allow_none=True, metadata={"description": "null: not stated."})


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
    events = fields.List(fields.Nested(HitEventSchema), required=True,
                         metadata={"description": "The events the report tells of, one per event."})
    killed = fields.Integer(required=True, allow_none=True, metadata={
        "description": "The report's total killed, each event counted once; null: not stated."})
    injured = fields.Integer(required=True, allow_none=True, metadata={
        "description": "The report's total injured, each event counted once; null: not stated."})
    words_matched = fields.Integer(metadata={
        "description": "Relaxed results only: how many of the query's plain words (or their near-synonyms) "
                       "the report has."})
    story = fields.Nested(StoryRefSchema, required=True)


class FacetValueSchema(Schema):
    value = fields.String(required=True)
    label_ar = fields.String(required=True)
    label_en = fields.String(required=True)
    count = fields.Integer(required=True)
    selected = fields.Boolean(required=True)
    parents = fields.List(fields.String(), metadata={"description": "Place facets: ancestor ids, nearest first."})
    type = fields.String(validate=validate.OneOf(ACTOR_TYPES), metadata={"description": "Actor facets: the type."})
    parent = fields.String(allow_none=True, metadata={
        "description": "Event facets: the event type of a sub-event type; null for a type."})


class DateBucketSchema(Schema):
    value = fields.String(required=True)
    count = fields.Integer(required=True)
    bucket = fields.String(validate=validate.OneOf(["day", "week", "month", "year"]),
                           metadata={"description": "What VALUE spans: a day, the week starting on it, a month, a year."})
    killed = fields.Integer(metadata={"description": (
        "Killed in this period. date_field=published: the sum of the killed totals of the reports "
        "published in it (reports that state none add 0). date_field=event: per event, on the event's "
        "day (else its report's publication day), each stated death once: a report's events of one "
        "sub-event type in one place on one day are one incident (largest figure), a headline's figure "
        "adds only what it states beyond the report's other events; so a report whose events fall in "
        "two periods splits its dead between them.")})


class FacetsSchema(Schema):
    place = fields.List(fields.Nested(FacetValueSchema), required=True)
    actor = fields.List(fields.Nested(FacetValueSchema), required=True)
    source = fields.List(fields.Nested(FacetValueSchema), required=True)
    event = fields.List(fields.Nested(FacetValueSchema), required=True, metadata={
        "description": "ACLED event types and sub-event types (with `parent`), in the taxonomy's order."})
    date = fields.List(fields.Nested(DateBucketSchema), required=True)


class RelaxationSchema(Schema):
    min_words = fields.Integer(required=True, metadata={"description": "Each hit has at least this many of the words."})
    words = fields.Integer(required=True, metadata={"description": "How many plain words the query has."})
    strict_total = fields.Integer(required=True, metadata={
        "description": "How many reports have all the words (the strict AND)."})


class ExpansionSchema(Schema):
    text = fields.String(required=True, metadata={"description": "The word (or words) as typed."})
    group = fields.String(required=True, metadata={"description": "The near-synonym group, e.g. killed, forces."})
    equivalents = fields.List(fields.String(), required=True, metadata={
        "description": "Also searched, scored lower than the typed word; a member of several words as a phrase."})


class SearchResultSchema(Schema):
    query = fields.Dict(required=True, metadata={"description": "Echo of the validated parameters."})
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    hits = fields.List(fields.Nested(HitSchema), required=True)
    facets = fields.Nested(FacetsSchema, required=True)
    suggestion = fields.String(required=True, allow_none=True)
    relaxed = fields.Boolean(metadata={
        "description": "True when the AND of the words found fewer than 10 reports and the results are the reports "
                       "with most of the words, ranked by how many they have (only with expand on and sort=relevance)."})
    relaxation = fields.Nested(RelaxationSchema, allow_none=True, metadata={
        "description": "With relaxed: how many words were required of how many; null otherwise."})
    expansions = fields.List(fields.Nested(ExpansionSchema), metadata={
        "description": "The near-synonyms added to the query's plain words (empty with expand=false)."})
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


class EventSchema(Schema):
    type = fields.String(required=True, metadata={"description": "ACLED event type id."})
    subtype = fields.String(required=True, metadata={"description": "ACLED sub-event type id."})
    label_ar = fields.String(required=True)
    label_en = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "The sentence or clause that reports the event."})
    start = fields.Integer(required=True, allow_none=True)
    end = fields.Integer(required=True, allow_none=True)
    date = fields.String(required=True, allow_none=True, metadata={"description": "YYYY-MM-DD, when it resolves."})
    places = fields.List(fields.String(), required=True, metadata={"description": "Place ids."})
    actors = fields.List(fields.String(), required=True, metadata={"description": "Actor ids."})
    killed = fields.Integer(required=True, allow_none=True)
    injured = fields.Integer(required=True, allow_none=True)


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
    partial = fields.Boolean()
    places = fields.List(fields.Nested(PlaceSchema), required=True)
    actors = fields.List(fields.Nested(ActorSchema), required=True)
    dates = fields.List(fields.Nested(EventDateSchema), required=True)
    events = fields.List(fields.Nested(EventSchema), required=True)
    killed = fields.Integer(required=True, allow_none=True)
    injured = fields.Integer(required=True, allow_none=True)
    related = fields.List(fields.Nested(RelatedSchema))
    story = fields.Nested(StorySchema, required=True)


class EventRecordSchema(Schema):
    """One row of /api/events.csv, one feature's properties in /api/events.geojson (ACLED's names)."""

    event_date = fields.String(required=True)
    event_type = fields.String(required=True)
    sub_event_type = fields.String(required=True)
    actor1 = fields.String(required=True, metadata={"description": "Only when the text makes the roles clear."})
    actor2 = fields.String(required=True)
    country = fields.String(required=True)
    admin1 = fields.String(required=True)
    location = fields.String(required=True)
    latitude = fields.Float(required=True, allow_none=True)
    longitude = fields.Float(required=True, allow_none=True)
    geo_precision = fields.Integer(required=True, allow_none=True,
                                   metadata={"description": "1 town or site, 2 district or governorate, "
                                                            "3 region or country."})
    fatalities = fields.Integer(required=True, allow_none=True)
    injured = fields.Integer(required=True, allow_none=True)
    notes = fields.String(required=True, metadata={"description": "The sentence that reports the event."})
    source = fields.String(required=True)
    article_id = fields.String(required=True)
    url = fields.String(required=True)


class PointSchema(Schema):
    type = fields.String(required=True, validate=validate.Equal("Point"))
    coordinates = fields.List(fields.Float(), required=True, validate=validate.Length(equal=2),
                              metadata={"description": "[longitude, latitude] (WGS 84)."})


class EventFeatureSchema(Schema):
    type = fields.String(required=True, validate=validate.Equal("Feature"))
    geometry = fields.Nested(PointSchema, required=True)
    properties = fields.Nested(EventRecordSchema, required=True)


class EventCollectionSchema(Schema):
    type = fields.String(required=True, validate=validate.Equal("FeatureCollection"))
    features = fields.List(fields.Nested(EventFeatureSchema), required=True)


class StatsSchema(Schema):
    documents = fields.Integer(required=True)
    sources = fields.Integer(required=True)
    published_min = fields.String(required=True, allow_none=True)
    published_max = fields.String(required=True, allow_none=True)
    places = fields.Integer(required=True)
    actors = fields.Integer(required=True)
    unknown_sources = fields.Integer()
    built_at = fields.String(required=True)
    generation = fields.Integer(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True)
    generation = fields.Integer(required=True)
    documents = fields.Integer(required=True)
    worker = fields.Integer(metadata={"description": "Process id of the server worker that answered: each "
                                                    "worker follows new generations by itself."})


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
