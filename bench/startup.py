"""Wall time of a one-URL `newsdesk ingest` against a bare Prefect hello-world flow, both in a
fresh process in this environment (issue 7: the start-up cost that is ours).

    .venv/bin/python bench/startup.py [--runs 5]

Prints the median of each and their difference; docs/BENCHMARKS.md records the figures.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flows.site_server import serve_site  # noqa: E402

HELLO = """
from prefect import flow, task

@task
def hello():
    return "hello"

@flow
def hello_flow():
    return hello()

hello_flow()
"""


def timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PREFECT_HOME": tmp, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "PREFECT_LOGGING_LEVEL": "WARNING"}
        hello = [timed([sys.executable, "-c", HELLO], env) for _ in range(runs)]
        with serve_site(REPO / "examples" / "site") as base_url:
            url = f"{base_url}/devdiscourse-kremlin-putin-biden.html"
            ingest = [timed([str(bin_dir / "newsdesk"), "ingest", url, "--db", f"{tmp}/bench.duckdb",
                             "--allow-private-hosts"], env) for _ in range(runs)]
    print(f"runs: {runs} each, fresh process each")
    print(f"prefect hello-world flow: median {statistics.median(hello):.2f} s  (min {min(hello):.2f})")
    print(f"newsdesk ingest, one URL: median {statistics.median(ingest):.2f} s  (min {min(ingest):.2f})")
    print(f"ours on top: {statistics.median(ingest) - statistics.median(hello):.2f} s")


if __name__ == "__main__":
    main()
