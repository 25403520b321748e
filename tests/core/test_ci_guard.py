"""With CI=true an unreachable PostgreSQL fails the run; it never silently skips the PG half."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_unreachable_postgres_in_ci_fails_the_run():
    env = {**os.environ, "CI": "true", "HB_TEST_PG_URL": "postgresql://postgres@127.0.0.1:9/postgres"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", "tests/core/test_foundation.py"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "PostgreSQL is unreachable" in result.stdout + result.stderr
    # Outside CI the same situation only skips the PostgreSQL half.
    env["CI"] = "false"
    relaxed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", "tests/core/test_foundation.py"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert relaxed.returncode == 0
