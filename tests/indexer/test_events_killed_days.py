"""The per-report rule of the killed-per-event-day histogram (indexer/events/killed_days.py), on
plain event lists: each stated death once, on its event's day."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from indexer.events.killed_days import killed_by_day, killed_day_terms


def event(subtype: str, day: str | None, killed: int | None, start: int = 100, places=("x",)) -> dict:
    return {"subtype": subtype, "date": day, "killed": killed, "start": start, "places": list(places)}


def days(*pairs: tuple[str, int]) -> list[tuple[dt.date, int]]:
    return [(dt.date.fromisoformat(d), k) for d, k in pairs]


def test_one_incident_told_twice_on_a_day_counts_its_largest_figure():
    told = [event("armed_clash", "2026-01-02", 4), event("armed_clash", "2026-01-02", 6),
            event("armed_clash", "2026-01-02", 2, places=("y",))]
    assert killed_by_day(told, 10, "2026-01-03") == days(("2026-01-02", 8))


def test_a_headline_adds_only_what_the_body_does_not_state():
    body = [event("air_drone_strike", "2026-01-01", 5), event("shelling_artillery_missile_attack", "2026-01-02", 3)]
    assert killed_by_day(body + [event("air_drone_strike", "2026-01-03", 8, start=0)], 20, "2026-01-03") == days(
        ("2026-01-01", 5), ("2026-01-02", 3))
    assert killed_by_day(body + [event("air_drone_strike", "2026-01-03", 11, start=0)], 20, "2026-01-03") == days(
        ("2026-01-01", 5), ("2026-01-02", 3), ("2026-01-03", 3))


def test_undated_events_fall_on_publication_day_and_unstated_figures_add_nothing():
    told = [event("attack", None, 2), event("attack", "not a date", None), event("arrests", "2026-01-01", None)]
    assert killed_by_day(told, 10, "2026-01-05") == days(("2026-01-05", 2))
    assert killed_by_day(told, 10, None) == []


def test_the_terms_carry_day_and_figure():
    told = [event("attack", "2026-01-02", 3), event("air_drone_strike", "2026-01-04", 12)]
    assert killed_day_terms(told, 10, "2026-01-05") == ["2026-01-02:3", "2026-01-04:12"]


@given(st.lists(st.fixed_dictionaries({
    "subtype": st.sampled_from(["attack", "armed_clash", "air_drone_strike"]),
    "date": st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)).map(dt.date.isoformat),
                      st.text(max_size=12)),
    "killed": st.one_of(st.none(), st.integers(-5, 10**12), st.booleans(), st.text(max_size=3)),
    "start": st.one_of(st.none(), st.integers(-3, 200)),
    "places": st.lists(st.sampled_from(["x", "y", "z"]), max_size=2)}), max_size=12),
    st.integers(0, 120), st.one_of(st.none(), st.just("2026-01-05"), st.text(max_size=10)))
def test_never_more_dead_than_stated_and_never_a_broken_term(events, title_length, published):
    rows = killed_by_day(events, title_length, published)
    stated = [e["killed"] for e in events if isinstance(e["killed"], int) and not isinstance(e["killed"], bool)
              and e["killed"] >= 0]
    assert sum(k for _, k in rows) <= sum(stated)
    assert all(k > 0 for _, k in rows) and [d for d, _ in rows] == sorted({d for d, _ in rows})
    for term in killed_day_terms(events, title_length, published):
        day, _, killed = term.partition(":")
        assert dt.date.fromisoformat(day) and killed.isdigit()
