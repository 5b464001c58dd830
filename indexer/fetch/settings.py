"""How politely and how patiently the fetcher crawls: one value object passed everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from importlib import metadata


def marsad_version() -> str:
    try:
        return metadata.version("marsad")
    except metadata.PackageNotFoundError:
        return "0"


def user_agent(contact: str = "") -> str:
    """Marsad's name and version, what it does, and (CONTACT) how a site owner reaches its operator."""
    contact = " ".join(contact.split())
    if not (contact.isascii() and contact.isprintable()) or any(ch in contact for ch in "()"):
        raise ValueError(f"--contact must be a plain URL or e-mail address, not {contact!r}")
    extra = f"; +{contact}" if contact else ""
    return f"Marsad/{marsad_version()} (news feed follower for Arabic conflict reporting; robots.txt obeyed{extra})"


USER_AGENT = user_agent()
ROBOTS_AGENT = "Marsad"


@dataclass(frozen=True)
class FetchSettings:
    """Defaults suit a nightly run over a few dozen outlets; tests and benchmarks shrink them."""

    delay: float = 2.0              # seconds between two requests to one host (robots Crawl-delay wins if longer)
    timeout: float = 20.0           # connect and per-read timeout, seconds
    retries: int = 2                # extra attempts after a timeout, a connection error, a 5xx or a 429
    backoff: float = 1.0            # first retry waits this long, then twice as long each time
    max_redirects: int = 5
    max_bytes: int = 5_000_000      # a page (or feed) larger than this is skipped, not truncated
    hosts: int = 4                  # hosts crawled at once; one request at a time per host
    user_agent: str = USER_AGENT
    max_crawl_delay: float = 60.0   # a robots.txt Crawl-delay above this is capped
    warc_max_bytes: int = 1_000_000_000  # a WARC file is closed and a new one started past this size

    def __post_init__(self) -> None:
        for name in ("delay", "timeout", "backoff", "max_crawl_delay"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be ≥ 0")
        if self.timeout == 0:
            raise ValueError("timeout must be > 0")
        for name in ("retries", "max_redirects"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be ≥ 0")
        for name in ("max_bytes", "hosts", "warc_max_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be ≥ 1")

    @property
    def deadline(self) -> float:
        """A whole response must arrive within this many seconds, so a server that drips one
        byte per read timeout cannot hold a worker forever."""
        return self.timeout * 4
