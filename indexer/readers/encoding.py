"""Bytes of a web page → text, the way Arabic sites actually serve them.

Order of trust: a byte-order mark, then the charset of the HTTP header (a WARC keeps it), then a
`<meta>` declaration in the first bytes, then strict UTF-8, then charset-normalizer's guess.
A declared charset that does not decode the bytes cleanly is not believed (sites copy templates
with a stale meta tag); a guess is limited to encodings Arabic pages are written in, so a
windows-1256 page is not read as Greek or Cyrillic.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

SNIFF_BYTES = 4096
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
ARABIC_CANDIDATES = ["utf_8", "cp1256", "iso8859_6", "cp720", "cp864", "mac_arabic"]


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type value, if any."""
    match = HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def known_codec(label: str | None) -> str | None:
    """Python's name for an encoding LABEL; None for labels Python does not know."""
    if not label:
        return None
    label = label.strip().lower()
    if label in ("x-user-defined", "unicode"):
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def meta_charset(data: bytes) -> str | None:
    match = META_CHARSET.search(data[:SNIFF_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_page(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """(text, the encoding used and how it was learnt, e.g. "cp1256 (detected)")."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), f"{name} (byte-order mark)"
    for label, how in ((http_charset, "HTTP header"), (meta_charset(data), "meta tag")):
        codec = known_codec(label)
        if codec:
            try:
                return data.decode(codec), f"{codec} ({how})"
            except UnicodeDecodeError:
                continue
    try:
        return data.decode("utf-8"), "utf-8 (valid UTF-8)"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=ARABIC_CANDIDATES).best()
    if best is not None:
        return str(best), f"{best.encoding} (detected)"
    return data.decode("cp1256", errors="replace"), "cp1256 (fallback)"
