"""Search parameters: limits and errors that name the field, blank values, and the query echo."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.params import SearchParamsError, parse_params


@pytest.mark.parametrize("mapping, field", [
    ({"q": "ا" * 1001}, "q"),
    ({"per_page": "101"}, "per_page"),
    ({"per_page": 0}, "per_page"),
    ({"page": "0"}, "page"),
    ({"page": "abc"}, "page"),
    ({"page": 101, "per_page": 100}, "page"),
    ({"page": 10_001, "per_page": 1}, "page"),
    ({"sort": "loudest"}, "sort"),
    ({"date_field": "printed"}, "date_field"),
    ({"from": "2023-13-45"}, "from"),
    ({"to": "yesterday"}, "to"),
    ({"from": "2023-05-02", "to": "2023-05-01"}, "to"),
    ({"entities": "perhaps"}, "entities"),
    ({"place": ["x" * 201]}, "place"),
    ({"min_killed": "-1"}, "min_killed"),
    ({"min_killed": "1000001"}, "min_killed"),
    ({"min_killed": "9" * 5000}, "min_killed"),
    ({"min_killed": "5_0"}, "min_killed"),
    ({"min_killed": "1e3"}, "min_killed"),
    ({"min_killed": "2.5"}, "min_killed"),
    ({"per_page": "1_0"}, "per_page"),
    ({"event": ["x" * 201]}, "event"),
    ({"event": ["battles"] * 51}, "event"),
])
def test_bad_values_name_their_field(mapping, field):
    with pytest.raises(SearchParamsError) as caught:
        parse_params(mapping)
    assert field in caught.value.errors and all(caught.value.errors[field])
    assert field in str(caught.value)


def test_defaults_and_blank_values():
    params = parse_params({"q": "حلب", "from": "", "to": " ", "sort": "", "page": "", "place": ["", " "],
                           "unknown": "ignored"})
    assert (params.q, params.date_from, params.date_to, params.sort, params.page, params.per_page) == \
        ("حلب", None, None, "relevance", 1, 10)
    assert params.place == () and params.entities is True


def test_values_are_converted():
    params = parse_params({"q": "x", "page": "3", "per_page": "20", "from": "2015-07-21", "to": "2015-08-01",
                           "sort": "oldest", "date_field": "event", "place": "sy", "actor": ["isis", "sdf"],
                           "entities": "off"})
    assert params.page == 3 and params.per_page == 20 and params.sort == "oldest"
    assert params.date_from.isoformat() == "2015-07-21" and params.place == ("sy",)
    assert params.actor == ("isis", "sdf") and params.entities is False
    echo = params.echo()
    assert echo["from"] == "2015-07-21" and echo["to"] == "2015-08-01" and echo["place"] == ["sy"]
    assert parse_params({"page": 100, "per_page": 100}).page == 100
    assert parse_params({"min_killed": "٣"}).min_killed == 3 and parse_params({"min_killed": "0"}).min_killed == 0
    assert parse_params({"min_killed": ""}).min_killed is None


@given(st.dictionaries(st.sampled_from(["q", "page", "per_page", "from", "to", "sort", "date_field", "entities",
                                        "place", "event", "min_killed", "zzz"]),
                       st.text(max_size=30) | st.integers() | st.none() | st.lists(st.text(max_size=10), max_size=3),
                       max_size=6))
@settings(max_examples=300, deadline=None)
def test_any_mapping_is_parsed_or_refused_with_field_errors(mapping):
    try:
        parse_params(mapping)
    except SearchParamsError as error:
        assert error.errors and all(isinstance(v, list) and v for v in error.errors.values())
