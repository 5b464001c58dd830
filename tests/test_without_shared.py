"""A stranger's clone has no ../shared: the tests that read it are skipped with a reason that says
how to get it, unless MARSAD_REQUIRE_SHARED=1 (CI) turns the skip into a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO, REQUIRE_SHARED

NEEDS_SHARED = "tests/indexer/test_readers.py::test_saudinewsnet_zip_as_it_is"


def run_without_shared(tmp_path: Path, require: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != REQUIRE_SHARED}
    env["MARSAD_SHARED"] = str(tmp_path / "no-shared-here")
    if require:
        env[REQUIRE_SHARED] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", NEEDS_SHARED, "-q", "-rs", "-p", "no:cacheprovider"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_a_clone_without_shared_skips_with_a_reason_that_says_how_to_get_it(tmp_path: Path) -> None:
    run = run_without_shared(tmp_path, require=False)
    assert run.returncode == 0, run.stdout[-2000:]
    assert "1 skipped" in run.stdout
    assert "MARSAD_SHARED" in run.stdout and "no-shared-here" in run.stdout


def test_ci_turns_the_skip_into_a_failure(tmp_path: Path) -> None:
    run = run_without_shared(tmp_path, require=True)
    assert run.returncode != 0
    assert "1 error" in run.stdout and f"{REQUIRE_SHARED}=1" in run.stdout
