"""Shared fixtures. PREFECT_HOME points at a temporary folder before Prefect is imported, so the
tests never write to the real home; one Prefect test harness serves the whole session."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsdesk-prefect-home-")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# The ephemeral server would try to send telemetry; the network is closed and tests stay local.
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# CI (.ci/run) sets HYPOTHESIS_PROFILE=ci: the same generated inputs on every run, so a red CI run
# is a regression and not a new random draw. Local runs keep Hypothesis' random search, which is
# what finds new bugs; each one found is pinned with @example in its property.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES_SITE = REPO / "examples" / "site"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"
