"""The web layer's one search call: the page and the API both read the query string here."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from flask import request

from search.params import SearchParams, SearchParamsError, parse_params

from .engine_access import get_engine

LIST_ARGS = ("place", "actor", "source", "event")


class BadRequest(Exception):
    """A client mistake: `errors` maps each bad field to its reasons."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def blank_values() -> dict[str, list[str]]:
    """Single-valued parameters given as whitespace only: neither empty ("not given") nor a value."""
    return {key: ["is blank: give a value or leave the parameter out"]
            for key in request.args if key not in ("q", *LIST_ARGS)
            if request.args[key] and not request.args[key].strip()}


def search_args(overrides: dict[str, Any] | None = None, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    """The query string as the mapping parse_params expects: lists for repeatable filters;
    DEFAULTS fill in what the query string leaves out (or gives empty)."""
    args = request.args
    mapping: dict[str, Any] = dict(defaults or {})
    mapping.update({key: args.get(key) for key in args if key not in LIST_ARGS and (args.get(key) or key not in mapping)})
    for key in LIST_ARGS:
        values = [v for v in args.getlist(key) if v.strip()]
        if values:
            mapping[key] = values
    mapping.update(overrides or {})
    return mapping


def run_search(overrides: dict[str, Any] | None = None, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    return _with_params(lambda params: get_engine().search(params), overrides, defaults)


def run_events(max_reports: int) -> Iterator[dict[str, Any]]:
    """The event records of the first MAX_REPORTS reports of the request's search (parameters
    checked now, records read as they are consumed)."""
    return _with_params(lambda params: get_engine().events(params, max_reports), None, None)


def _with_params(call: Callable[[SearchParams], Any], overrides: dict[str, Any] | None,
                 defaults: dict[str, Any] | None) -> Any:
    blank = blank_values()
    if blank:
        raise BadRequest(blank)
    try:
        if overrides:  # the client's own parameters must be valid even where an export overrides them
            parse_params(search_args(defaults=defaults))
        return call(parse_params(search_args(overrides, defaults)))
    except SearchParamsError as error:
        raise BadRequest(error.errors) from None
