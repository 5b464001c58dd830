"""Synonyms and relaxation through the web layer: the API's new fields as the OpenAPI document
describes them, expand=false, a bad value, and what the page tells the analyst."""

from __future__ import annotations

import urllib.parse

import pytest

from tests.web.test_api import conforms
from web.app import create_app

from .test_relax import ARTICLES as RELAX_ARTICLES
from .test_relax import WORDS
from .test_synonyms import ARTICLES as SYNONYM_ARTICLES
from .test_synonyms import index_of


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    app = create_app(index_of(SYNONYM_ARTICLES + RELAX_ARTICLES, tmp_path_factory.mktemp("synonyms-web")))
    return app.test_client()


def get(client, path: str, **params):
    return client.get(path + "?" + urllib.parse.urlencode(params))


def test_the_api_result_carries_expansions_and_relaxation_as_documented(client):
    spec = client.get("/api/openapi.json").get_json()
    result_schema = {"$ref": "#/components/schemas/SearchResult"}
    expanded = get(client, "/api/search", q="مقتل جنود").get_json()
    conforms(spec, result_schema, expanded)
    assert [e["text"] for e in expanded["expansions"]] == ["مقتل", "جنود"]
    relaxed = get(client, "/api/search", q=WORDS).get_json()
    conforms(spec, result_schema, relaxed)
    assert relaxed["relaxed"] is True and relaxed["relaxation"]["min_words"] == 3
    assert all(h["words_matched"] >= 3 for h in relaxed["hits"])
    strict = get(client, "/api/search", q=WORDS, expand="false").get_json()
    conforms(spec, result_schema, strict)
    assert strict["relaxed"] is False and strict["expansions"] == [] and strict["query"]["expand"] is False
    assert strict["total"] < relaxed["total"]


def test_a_bad_expand_value_is_a_400_that_names_the_field(client):
    response = get(client, "/api/search", q="مقتل", expand="maybe")
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == ["expand"]
    page = get(client, "/search", q="مقتل", expand="maybe")
    assert page.status_code == 400 and "المرادفات وتخفيف الشروط" in page.get_data(as_text=True)


def test_the_page_says_what_was_widened_and_offers_the_words_as_typed(client):
    page = get(client, "/search", q=WORDS).get_data(as_text=True)
    assert "معظم كلماتك" in page and "Showing reports with most of your words" in page
    assert 'name="expand" value="false"' in page  # the control in the search form
    expanded = get(client, "/search", q="مقتل جنود").get_data(as_text=True)
    assert "بحثنا أيضاً عن مرادفات" in expanded and "لقي حتفه" in expanded and "expand=false" in expanded
    typed = get(client, "/search", q="مقتل جنود", expand="false").get_data(as_text=True)
    assert "بحثنا أيضاً عن مرادفات" not in typed and "دون مرادفات" in typed
    assert 'value="false" checked' in typed
