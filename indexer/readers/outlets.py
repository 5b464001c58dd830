"""An article's outlet (`source`) from its URL's domain, through the sources data file.

A domain listed under an outlet's `domains` (or a subdomain of one) is that outlet. An unknown
domain becomes its own source id, the bare domain (`www.`, `m.`, `amp.` dropped): stable across
crawls, readable in facets, and counted by `index stats` as an unknown source.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

MOBILE_PREFIXES = ("www.", "m.", "amp.", "mobile.")


def bare_domain(url: str | None) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.lower().rstrip(".")
    for prefix in MOBILE_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    return host


@lru_cache(maxsize=1)
def outlet_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(domain → source id, outlet name in Arabic or English, case-folded → source id)."""
    from indexer.entities.actor_book import load_sources

    domains: dict[str, str] = {}
    names: dict[str, str] = {}
    for entry in load_sources():
        for domain in entry.get("domains") or ():
            domains[domain.lower()] = entry["id"]
        for name in (entry["name_ar"], entry["name_en"]):
            names[name.casefold()] = entry["id"]
    return domains, names


def known_source_ids() -> frozenset[str]:
    domains, names = outlet_tables()
    return frozenset(domains.values()) | frozenset(names.values())


def source_for(url: str | None, site_name: str | None = None) -> str:
    """The source id of a page at URL published under SITE_NAME ("" when neither tells)."""
    domains, names = outlet_tables()
    host = bare_domain(url)
    parts = host.split(".")
    for start in range(len(parts) - 1):
        found = domains.get(".".join(parts[start:]))
        if found:
            return found
    if site_name and site_name.strip().casefold() in names:
        return names[site_name.strip().casefold()]
    return host
