"""The seed article through the whole path (build → index → /api/events.csv and .geojson): the
drone strike near Hasakah keeps the figures the extractor gives it (1 killed, 6 injured)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from search.event_export import EVENT_COLUMNS
from web.app import create_app

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def seed_client(tmp_path_factory: pytest.TempPathFactory, seed_text: str):
    from indexer.build import build_index

    source = tmp_path_factory.mktemp("seed-source")
    (source / "000_fec114cf983dc749.txt").write_text(seed_text, "utf-8")
    home = tmp_path_factory.mktemp("seed-index")
    build_index([source], home, workers=1, quarantine=None, progress=False)
    app = create_app(home)
    app.config.update(TESTING=True)
    return app.test_client()


def test_the_hasakah_drone_strike_row_carries_its_figures(seed_client) -> None:
    body = seed_client.get("/api/events.csv?q=").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and list(rows[0]) == list(EVENT_COLUMNS)
    [drone] = [r for r in rows if r["sub_event_type"] == "Air/drone strike" and "Hasakah" in r["location"]]
    assert (drone["fatalities"], drone["injured"]) == ("1", "6")
    assert drone["admin1"] and drone["country"] == "Syria"


def test_the_geojson_point_near_hasakah_carries_the_same_figures(seed_client) -> None:
    features = seed_client.get("/api/events.geojson?q=").get_json()["features"]
    [drone] = [f for f in features if "Hasakah" in f["properties"]["location"]]
    assert (drone["properties"]["fatalities"], drone["properties"]["injured"]) == (1, 6)
