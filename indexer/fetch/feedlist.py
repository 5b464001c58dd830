"""FEEDS.txt: one feed URL a line; blank lines and `#` comments allowed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag, urlsplit


def read_feed_list(path: Path) -> list[str]:
    """The feed URLs of PATH in order, without repeats. A line that is not an http(s) URL is a
    user error naming file and line, raised before anything is fetched."""
    try:
        text = Path(path).read_text("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text (byte {error.start})") from None
    feeds: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url = line.split()[0]  # whatever follows the URL on its line is a note
        if not is_http_url(url):
            raise ValueError(f"{path}:{number}: not an http(s) URL: {url!r}")
        url = canonical_url(url)
        if url not in feeds:
            feeds.append(url)
    if not feeds:
        raise ValueError(f"{path}: no feed URLs (one http(s) URL a line; # starts a comment)")
    return feeds


def is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def canonical_url(url: str) -> str:
    """The URL as the fetched-pages index keys it: no fragment, lower-case scheme and host."""
    url = urldefrag(url.strip())[0]
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    return parts._replace(scheme=parts.scheme.lower(), netloc=netloc, path=parts.path or "/").geturl()


def host_of(url: str) -> str:
    """The politeness key: scheme-less host and port, as robots.txt and delays apply to it."""
    return urlsplit(url).netloc.lower()
