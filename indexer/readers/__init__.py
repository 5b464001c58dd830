"""Turn files, folders and ZIPs into a stream of raw records, each tagged with where it came from.

JSON, JSON Lines and text articles are read here; web pages, WARC crawls and RSS/Atom feeds in
indexer/readers/web.py (imported only when such a file is met: it loads trafilatura).

Readers never raise on bad input: a file that cannot be read (bad ZIP, bad encoding, truncated
JSON, a type we do not know) becomes a `Problem` in the same stream, so one bad file costs its
own records and nothing else. Records are yielded one at a time so the build never holds the
whole corpus in memory; a JSON array is decoded element by element for the same reason and so
that the good prefix of a truncated file is still indexed.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Union

JSON_LINES = (".jsonl", ".ndjson")
JSON = (".json",)
TEXT = (".txt", ".md", ".markdown")
ARCHIVES = (".zip",)
HTML = (".html", ".htm")
WARC = (".warc", ".warc.gz")
FEEDS = (".xml", ".rss", ".atom")
WEB = HTML + WARC + FEEDS
SUPPORTED = JSON_LINES + JSON + TEXT + ARCHIVES + WEB
SKIPPED_NAMES = frozenset({"readme", "license", "licence", "copying", "changelog", "notice"})
HEADER_FENCE = "---"
HEADER_ALIASES = {"date": "published", "published_at": "published", "headline": "title"}
EXCERPT_CHARS = 240
TOO_DEEP = "invalid JSON: nested too deeply"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record lives: a file, optionally a ZIP member, and a line or array position."""

    file: str
    member: str | None = None
    line: int | None = None
    position: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file}
        if self.line is not None:
            out["line"] = self.line
        if self.position is not None:
            out["position"] = self.position
        out["member"] = self.member
        return out

    def describe(self) -> str:
        where = self.file + (f"!{self.member}" if self.member else "")
        if self.line is not None:
            where += f":{self.line}"
        if self.position is not None:
            where += f" [{self.position}]"
        return where


@dataclass(slots=True)
class RawRecord:
    """One article as found on disk, before validation. `field_lines` maps header keys of a
    text article to their line, so an error names the exact line."""

    data: Any
    origin: Origin
    field_lines: dict[str, int] | None = None


@dataclass(slots=True)
class Problem:
    """A quarantine entry: something that could not become an article."""

    origin: Origin
    field: str | None
    reason: str
    excerpt: str = ""

    def as_json(self) -> dict[str, Any]:
        out = self.origin.as_dict()
        out["field"] = self.field
        out["reason"] = self.reason
        out["record_excerpt"] = self.excerpt
        return out


@dataclass(slots=True)
class Skipped:
    """A record that is not an article and not a fault: a WARC request, a redirect, an image,
    robots.txt. Counted in the build summary, not quarantined."""

    origin: Origin
    reason: str


Item = Union[RawRecord, Problem, Skipped]


def excerpt_of(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value[: EXCERPT_CHARS * 4]).decode("utf-8", "replace")
    if not isinstance(value, str):
        try:
            value = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError, RecursionError):
            value = f"<{type(value).__name__}>"
    return value[:EXCERPT_CHARS]


def read_paths(paths: Iterable[Path | str], exclude: Iterable[Path | str] = (),
               admit: Callable[[Path], bool] | None = None) -> Iterator[Item]:
    """Every record of PATHS in a deterministic order (paths as given, folders sorted).

    Folders and files in EXCLUDE are not walked into: an index home or quarantine file that
    lives inside the corpus folder must not be read back as articles. A file for which ADMIT
    says False is not read (indexer.ledger: unchanged since the live generation read it)."""
    skip = frozenset(Path(p).resolve() for p in exclude)
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for file in walk_folder(path, skip):
                if admit is None or admit(file):
                    yield from read_file(file)
        elif path.exists():
            if admit is None or admit(path):
                yield from read_file(path, explicit=True)
        else:
            yield Problem(Origin(str(path)), None, "no such file or folder")


def walk_folder(folder: Path, skip: frozenset[Path] = frozenset()) -> Iterator[Path]:
    """Supported files under FOLDER, recursively, in path order (a/b.jsonl before b.jsonl, as
    `find | sort` lists them, so which duplicate is "read last" is predictable); hidden files,
    folders starting with "." or "_", and READMEs are skipped."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))
                   and not (skip and (Path(root) / d).resolve() in skip)]
        found.extend(Path(root) / name for name in files if is_article_file(name)
                     and not (skip and (Path(root) / name).resolve() in skip))
    yield from sorted(found, key=lambda path: path.relative_to(folder).parts)


def suffix_of(name: str) -> str:
    """The file type of NAME: its last extension, or ".warc.gz" for gzipped WARC files."""
    lower = name.lower()
    if lower.endswith(".warc.gz"):
        return ".warc.gz"
    base = lower.rsplit("/", 1)[-1]
    return f".{base.rpartition('.')[2]}" if "." in base else ""


def is_article_file(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    if base.startswith((".", "_", "~")):
        return False
    suffix = suffix_of(base)
    return suffix in SUPPORTED and base.lower()[: -len(suffix)] not in SKIPPED_NAMES


def read_file(path: Path, explicit: bool = False) -> Iterator[Item]:
    """Records of one file; an unsupported type is a problem only when it was named explicitly."""
    suffix = suffix_of(path.name)
    origin = Origin(str(path))
    if suffix in ARCHIVES:
        yield from read_zip(path)
        return
    if suffix not in SUPPORTED:
        if explicit:
            yield Problem(origin, None, f"unsupported file type {suffix or '(none)'!r}: expected a folder "
                          "or .jsonl, .json, .zip, .txt, .md, .html, .warc(.gz), .xml, .rss or .atom")
        return
    if suffix in WEB:
        from .web import read_web_file

        yield from read_web_file(path, suffix)
        return
    try:
        with open(path, "rb") as handle:
            if suffix in JSON_LINES:
                yield from read_json_lines(handle, origin)
            else:
                yield from read_blob(handle.read(), suffix, origin)
    except OSError as error:
        yield Problem(origin, None, f"cannot read file: {error.strerror or error}")


def read_blob(data: bytes, suffix: str, origin: Origin) -> Iterator[Item]:
    text = decode(data, origin)
    if isinstance(text, Problem):
        yield text
    elif suffix in JSON:
        yield from read_json_text(text, origin)
    else:
        yield read_text_article(text, origin)


def decode(data: bytes, origin: Origin) -> str | Problem:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return Problem(Origin(origin.file, origin.member, line=line), None,
                       f"not UTF-8 text (byte {error.start}: {error.reason})", excerpt_of(data[:error.start]))


def read_json_lines(lines: Iterable[bytes], origin: Origin) -> Iterator[Item]:
    """One JSON object per line; a bad line is a problem for that line only."""
    for number, raw in enumerate(lines, 1):
        where = Origin(origin.file, origin.member, line=number)
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            yield Problem(where, None, f"not UTF-8 text (column {error.start + 1}: {error.reason})", excerpt_of(raw))
            continue
        if not text.strip():
            continue
        try:
            data = json.loads(text.rstrip("\r\n"))
        except json.JSONDecodeError as error:
            yield Problem(where, None, f"invalid JSON at column {error.colno}: {json_message(error)}", excerpt_of(text))
            continue
        except RecursionError:
            yield Problem(where, None, TOO_DEEP, excerpt_of(text))
            continue
        yield RawRecord(data, where)


def read_json_text(text: str, origin: Origin) -> Iterator[Item]:
    """A JSON array of objects (or one object), decoded element by element."""
    decoder = json.JSONDecoder()
    index = skip_space(text, 0)
    if index < len(text) and text[index] == "{":
        try:
            data, _ = decoder.raw_decode(text, index)
        except json.JSONDecodeError as error:
            yield Problem(Origin(origin.file, origin.member, line=error.lineno), None,
                          f"invalid JSON at column {error.colno}: {json_message(error)}", excerpt_of(text))
            return
        except RecursionError:
            yield Problem(Origin(origin.file, origin.member, line=1), None, TOO_DEEP, excerpt_of(text))
            return
        yield RawRecord(data, Origin(origin.file, origin.member, line=1 + text.count("\n", 0, index)))
        return
    if index >= len(text) or text[index] != "[":
        yield Problem(Origin(origin.file, origin.member, line=1), None,
                      "expected a JSON array of articles or one article object", excerpt_of(text))
        return
    position, line, counted = 0, 1, 0
    index = skip_space(text, index + 1)
    if index < len(text) and text[index] == "]":
        return
    while True:
        line += text.count("\n", counted, index)
        counted = index
        where = Origin(origin.file, origin.member, line=line, position=position)
        try:
            data, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError as error:
            reason = "truncated JSON" if is_truncation(error, text) else f"invalid JSON: {json_message(error)}"
            yield Problem(Origin(origin.file, origin.member, line=error.lineno, position=position), None,
                          f"{reason} at line {error.lineno} column {error.colno}; the rest of the file is skipped",
                          excerpt_of(text[index:index + EXCERPT_CHARS]))
            return
        except RecursionError:
            yield Problem(where, None, f"{TOO_DEEP}; the rest of the file is skipped",
                          excerpt_of(text[index:index + EXCERPT_CHARS]))
            return
        yield RawRecord(data, where)
        position += 1
        index = skip_space(text, end)
        if index < len(text) and text[index] == ",":
            index = skip_space(text, index + 1)
            continue
        if index < len(text) and text[index] == "]":
            return
        tail_line = line + text.count("\n", counted, index)
        reason = "truncated JSON (the array is not closed)" if index >= len(text) else \
            f"invalid JSON: expected ',' or ']' after element {position - 1}"
        yield Problem(Origin(origin.file, origin.member, line=tail_line, position=position), None,
                      reason, excerpt_of(text[index:index + EXCERPT_CHARS]))
        return


def json_message(error: json.JSONDecodeError) -> str:
    """json's message without its dangling "at" ("Unterminated string starting at")."""
    return error.msg.removesuffix(" at").removesuffix(" starting")


def is_truncation(error: json.JSONDecodeError, text: str) -> bool:
    """The text ended inside a value: the error is at the end, or a string never closed (json
    reports that at the string's start, having searched to the end for its quote)."""
    return error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")


def skip_space(text: str, index: int) -> int:
    length = len(text)
    while index < length and text[index] in " \t\r\n":
        index += 1
    return index


def read_text_article(text: str, origin: Origin) -> Item:
    """A .txt/.md article: an optional `---` block of `key: value` lines, then the body.

    Without a header, a leading Markdown heading (`# ...`) is taken as the title.
    """
    lines = text.split("\n")
    data: dict[str, Any] = {}
    field_lines: dict[str, int] = {}
    body_start = 0
    if lines and lines[0].strip() == HEADER_FENCE:
        close = next((n for n in range(1, len(lines)) if lines[n].strip() == HEADER_FENCE), None)
        if close is None:
            return Problem(Origin(origin.file, origin.member, line=1), None,
                           f"header block is not closed by a '{HEADER_FENCE}' line", excerpt_of(text))
        for number in range(1, close):
            line = lines[number].rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            if not sep or not key.strip():
                return Problem(Origin(origin.file, origin.member, line=number + 1), None,
                               "header lines must be 'key: value'", excerpt_of(line))
            key = key.strip().lower()
            key = HEADER_ALIASES.get(key, key)
            data[key] = value.strip()
            field_lines[key] = number + 1
        body_start = close + 1
    body_lines = lines[body_start:]
    while body_lines and not body_lines[0].strip():
        body_lines.pop(0)
        body_start += 1
    if "title" not in data and body_lines and body_lines[0].lstrip().startswith("# "):
        data["title"] = body_lines[0].lstrip()[2:].strip()
        field_lines["title"] = body_start + 1
        body_lines.pop(0)
        body_start += 1
    data["content"] = "\n".join(body_lines).strip()
    field_lines["content"] = body_start + 1
    return RawRecord(data, Origin(origin.file, origin.member, line=1), field_lines)


def read_zip(path: Path) -> Iterator[Item]:
    """Members of a ZIP, sorted by name, each read by its own extension."""
    origin = Origin(str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        yield Problem(origin, None, f"not a readable ZIP file: {error}")
        return
    except OSError as error:
        yield Problem(origin, None, f"cannot read file: {error.strerror or error}")
        return
    with archive:
        members = sorted(
            (info for info in archive.infolist()
             if not info.is_dir() and not info.filename.startswith("__MACOSX/")
             and is_article_file(info.filename)),
            key=lambda info: info.filename,
        )
        for info in members:
            member_origin = Origin(str(path), info.filename)
            suffix = suffix_of(info.filename)
            if suffix in ARCHIVES:
                yield Problem(member_origin, None, "ZIP files inside ZIP files are not read")
                continue
            try:
                if suffix in JSON_LINES:
                    with archive.open(info) as handle:
                        yield from read_json_lines(handle, member_origin)
                elif suffix in WARC:
                    from .web import read_warc

                    with archive.open(info) as handle:
                        yield from read_warc(handle, member_origin)
                elif suffix in WEB:
                    from .web import read_web_blob

                    yield from read_web_blob(archive.read(info), suffix, member_origin)
                else:
                    data = archive.read(info)
                    yield from read_blob(data, suffix, member_origin)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError,
                    NotImplementedError, RuntimeError, zlib.error) as error:
                yield Problem(member_origin, None, f"cannot read ZIP member: {error}")
