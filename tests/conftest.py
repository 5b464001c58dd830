"""Shared fixtures: where the repository, the bundled corpus and ../shared live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return REPO / "corpus"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (SaudiNewsNet, the seed article): read at test time, never copied in."""
    path = Path(os.environ.get("MARSAD_SHARED", REPO.parent / "shared"))
    if not path.is_dir():
        pytest.fail(f"../shared not found at {path}; set MARSAD_SHARED")
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
