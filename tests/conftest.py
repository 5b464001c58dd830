"""Shared fixtures: where the repository, the bundled corpus and ../shared live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REQUIRE_SHARED = "MARSAD_REQUIRE_SHARED"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return REPO / "corpus"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (SaudiNewsNet, the seed article): read at test time, never copied in. A stranger's
    clone without it skips what needs it; CI sets MARSAD_REQUIRE_SHARED=1 so it never skips them."""
    path = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
    if not path.is_dir():
        reason = (f"needs the project's shared data (SaudiNewsNet, the seed article) at {path}: "
                  "put shared/ beside the clone or set MARSAD_SHARED=/path/to/shared")
        if os.environ.get(REQUIRE_SHARED) == "1":
            pytest.fail(f"{reason} ({REQUIRE_SHARED}=1)")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    return (shared_dir / "seeds" / "000_fec114cf983dc749.txt").read_text("utf-8")


@pytest.fixture(scope="session")
def corpus_home(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    """A real index home built once per test run from the bundled corpus/ (read-only for tests)."""
    from indexer.build import build_index

    home = tmp_path_factory.mktemp("corpus-index")
    build_index([corpus_dir], home, workers=1, quarantine=None, progress=False)
    return home
