"""Following outlets: fetch feeds and the pages they link into WARC files of a folder.

The fetcher produces corpus input and nothing else: it writes raw HTTP responses to WARC files
that `marsad index update DIR` reads like any other WARC, so every rebuild stays offline and
reproducible. It never imports the index, and `web/` never imports it.
"""

from indexer.fetch.crawl import fetch_feeds
from indexer.fetch.settings import FetchSettings

__all__ = ["FetchSettings", "fetch_feeds"]
