"""Wall time of a one-URL `newsdesk ingest` against a bare Prefect hello-world flow, both in a
fresh process in this environment (issue 7: the start-up cost that is ours), and where it goes.

    .venv/bin/python bench/startup.py [--runs 5]     # wall times, hello and ingest interleaved
    .venv/bin/python bench/startup.py --timeline     # one run of each, phase by phase
    .venv/bin/python bench/startup.py --parts        # our start-up parts, each in isolation

--src DIR runs the code of another checkout (a `git archive` of an older commit, say) with this
venv; repeated, the wall times of each checkout are interleaved round by round, for before/after
figures under the same machine load. "ours on top" is the median of (ingest - hello) over the
rounds, each ingest paired with the hello run of its round. --json PATH also writes the figures.

The ingest runs come in two kinds: `first` ingests the URL into a new DuckDB file (fetch, parse,
load: the ad hoc run a user makes), `again` ingests it once more into the same file (the URL is
already loaded, so nothing is fetched). docs/BENCHMARKS.md ("Start-up") records the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
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
PAGE = "devdiscourse-kremlin-putin-biden.html"
# Prefect's console lines: "12:34:56.789 | LEVEL | logger or run - message".
LOG_LINE = re.compile(r"^(\d\d:\d\d:\d\d\.\d{3}) \| (\w+)\s*\| (.*)$")
TASK_LINE = re.compile(r"^Task run '(?P<run>[\w-]+?)-\w{3}' - (?P<what>Executing task|Finished in state)")


def prefect_env(home: str, src: Path, level: str = "WARNING") -> dict:
    return {**os.environ, "PREFECT_HOME": home, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": level, "PYTHONPATH": str(src),
            # Under load (a shared machine) the server may take longer than the 20 s default.
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90"}


def hello_args() -> list[str]:
    return [sys.executable, "-c", HELLO]


def ingest_args(url: str, db: str) -> list[str]:
    # `python -m flows.cli` is what the `newsdesk` script runs, and it honours --src.
    return [sys.executable, "-m", "flows.cli", "ingest", url, "--db", db, "--allow-private-hosts"]


def timed(args: list[str], env: dict, cwd: Path) -> tuple[float, float, str]:
    """(wall seconds, start as a Unix time, stderr)."""
    started_at, started = time.time(), time.perf_counter()
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{args[1:4]} exited with {done.returncode}:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started, started_at, done.stderr


def measure_walls(runs: int, srcs: list[Path]) -> dict[str, list[float]]:
    """Interleaved (hello, then per checkout: first ingest, ingest again) so that a change of
    machine load hits all alike. PREFECT_HOME's database is created by one untimed run first."""
    walls: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp, serve_site(REPO / "examples" / "site") as base_url:
        timed(hello_args(), prefect_env(tmp, srcs[0]), srcs[0])
        for number in range(runs):
            walls["hello"].append(timed(hello_args(), prefect_env(tmp, srcs[0]), srcs[0])[0])
            for index, src in enumerate(srcs):
                env, db, suffix = prefect_env(tmp, src), f"{tmp}/bench-{number}-{index}.duckdb", label_of(src, srcs)
                walls["ingest_first" + suffix].append(timed(ingest_args(f"{base_url}/{PAGE}", db), env, src)[0])
                walls["ingest_again" + suffix].append(timed(ingest_args(f"{base_url}/{PAGE}", db), env, src)[0])
    return dict(walls)


def label_of(src: Path, srcs: list[Path]) -> str:
    return "" if len(srcs) == 1 else f" [{src}]"


def print_walls(walls: dict[str, list[float]]) -> None:
    hello = statistics.median(walls["hello"])
    print(f"runs: {len(walls['hello'])} each, fresh process each, interleaved")
    print(f"{'prefect hello-world flow':60s} median {hello:5.2f} s  (min {min(walls['hello']):.2f})")
    for key, values in walls.items():
        if key == "hello":
            continue
        label = key.replace("ingest_first", "newsdesk ingest, one URL, new file").replace(
            "ingest_again", "newsdesk ingest, same URL again")
        # Paired with the hello run of the same round: steadier than a difference of medians.
        paired = statistics.median(v - h for v, h in zip(values, walls["hello"]))
        print(f"{label:60s} median {statistics.median(values):5.2f} s  (min {min(values):.2f})  "
              f"ours on top {paired:+.2f} s")


# ---------------------------------------------------------------- timeline from Prefect's logs

def log_events(stderr: str, started_at: float) -> list[tuple[float, str, str]]:
    """(seconds since the process started, logger or run, message) of every console log line."""
    day = datetime.fromtimestamp(started_at).date()
    events = []
    for line in stderr.splitlines():
        match = LOG_LINE.match(line)
        if match:
            clock = datetime.combine(day, datetime.strptime(match.group(1), "%H:%M:%S.%f").time())
            events.append((clock.timestamp() - started_at, match.group(2), match.group(3)))
    return events


def phases(events: list[tuple[float, str, str]], wall: float) -> dict[str, float]:
    """Process start -> Prefect imported -> flow run begins -> flow run ends -> process exit."""
    def first(text: str) -> float:
        return next(t for t, _, message in events if text in message)
    imported, begins = first("Using profile"), first("Beginning flow run")
    ends = max(t for t, _, message in events if re.match(r"Flow run '[\w-]+' - Finished in state", message))
    return {"python + import prefect": imported, "our imports + Prefect server + flow run created": begins - imported,
            "flow body": ends - begins, "after the flow (server stop, exit)": wall - ends}


def task_seconds(events: list[tuple[float, str, str]]) -> dict[str, tuple[int, float]]:
    """Per task name: (runs, seconds from 'Executing task' to its 'Finished in state')."""
    open_runs: dict[str, float] = {}
    totals: dict[str, list] = defaultdict(lambda: [0, 0.0])
    for t, _, message in events:
        match = TASK_LINE.match(message)
        if not match:
            continue
        run_name = message.split("'")[1]
        if match.group("what") == "Executing task":
            open_runs[run_name] = t
        elif run_name in open_runs:
            totals[match.group("run")][0] += 1
            totals[match.group("run")][1] += t - open_runs.pop(run_name)
    return {name: (n, seconds) for name, (n, seconds) in totals.items()}


def measure_timeline(src: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp, serve_site(REPO / "examples" / "site") as base_url:
        env = prefect_env(tmp, src, level="DEBUG")
        timed(hello_args(), env, src)
        figures = {}
        for name, args in (("hello", hello_args()), ("ingest_first", ingest_args(f"{base_url}/{PAGE}", f"{tmp}/t.duckdb")),
                           ("ingest_again", ingest_args(f"{base_url}/{PAGE}", f"{tmp}/t.duckdb"))):
            wall, started_at, stderr = timed(args, env, src)
            events = log_events(stderr, started_at)
            figures[name] = {"wall": wall, "phases": phases(events, wall), "tasks": task_seconds(events)}
    return figures


def print_timeline(figures: dict) -> None:
    names = list(figures)
    print(f"{'phase (s)':48s}" + "".join(f"{n:>14s}" for n in names))
    for phase in figures[names[0]]["phases"]:
        print(f"{phase:48s}" + "".join(f"{figures[n]['phases'][phase]:14.2f}" for n in names))
    print(f"{'wall':48s}" + "".join(f"{figures[n]['wall']:14.2f}" for n in names))
    for name in names[1:]:
        print(f"\ntasks of {name} (runs, seconds inside the task):")
        for task, (runs, seconds) in sorted(figures[name]["tasks"].items(), key=lambda kv: -kv[1][1]):
            print(f"  {task:24s} {runs:3d} {seconds:7.3f}")


# ---------------------------------------------------------------- parts, each in isolation

PARTS = """
import json, sys, tempfile, time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
import prefect, prefect.flows, prefect.server.api.server   # what a hello-world flow loads too
figures = {}
started = time.perf_counter()
import flows.ingest
figures["import flows.ingest after prefect"] = time.perf_counter() - started
figures["feedparser imported at start-up"] = float("feedparser" in sys.modules)
from tasks.parse import parse_html
page = Path(sys.argv[1])
for call in ("first", "second"):
    started = time.perf_counter()
    parse_html(page.read_bytes(), "https://www.example.org/" + page.name)
    figures[f"parse_html, {call} call"] = time.perf_counter() - started
figures["dateparser imported by the parse"] = float("dateparser" in sys.modules)

from flows.site_server import serve_site
from tasks.fetch import fetch_url
from tasks.settings import Settings
with tempfile.TemporaryDirectory() as tmp:
    for label, delay in (("fetch_url, a host's first URL (robots.txt, then the page)", 1.0),
                         ("the same, per_host_delay_s=0 (what-if)", 0.0)):
        with serve_site(page.parent) as base:   # a new port: a host not seen yet
            settings = replace(Settings(), allow_private_hosts=True, per_host_delay_s=delay,
                               db_path=Path(tmp) / "fetch.duckdb")
            started = time.perf_counter()
            assert fetch_url(f"{base}/{page.name}", settings).outcome == "fetched"
            figures[label] = time.perf_counter() - started

from warehouse.db import connect, open_writer
from warehouse.fetch_state import ValidatorRow, save_validators
from warehouse.loader import record_fetches, record_run
from warehouse.rows import FetchRow, RunRow
now = datetime.now(timezone.utc)
fetch = FetchRow("https://www.example.org/a", None, "fetched", 200, "text/html", 10, "c", 1, 5.0, None, now)
run = RunRow("run-1", "ingest", now, now, 1, {"loaded": 1})
validator = ValidatorRow("https://www.example.org/a", "page", '"e"', None, "c", 200, now, True)
with tempfile.TemporaryDirectory() as tmp:
    db = tmp + "/parts.duckdb"
    for label, read_only in (("open a new file read-write (creates, migrates)", False),
                             ("open a current file read-write", False), ("open a current file read-only", True)):
        started = time.perf_counter()
        connect(db, read_only=read_only).close()
        figures[label] = time.perf_counter() - started
    import duckdb
    for label, opener in (("open a current file read-write, 20 times: connect()", lambda: connect(db)),
                          ("the same, bare duckdb.connect (no migrations check)", lambda: duckdb.connect(db))):
        started = time.perf_counter()
        for _ in range(20):
            opener().close()
        figures[label] = time.perf_counter() - started
    started = time.perf_counter()
    with open_writer(db) as con:
        save_validators(con, [validator])
    with open_writer(db) as con:
        con.execute("BEGIN TRANSACTION")
        record_fetches(con, [fetch], "run-1")
        record_run(con, run)
        con.execute("COMMIT")
    figures["run end: validators, then fetches + run (two opens)"] = time.perf_counter() - started
    try:
        from warehouse.loader import record_run_end
    except ImportError:
        record_run_end = None   # an older checkout (--src)
    if record_run_end:
        started = time.perf_counter()
        with open_writer(db) as con:
            record_run_end(con, [fetch], replace(run, run_id="run-2"), [validator])
        figures["run end: warehouse.loader.record_run_end (one open)"] = time.perf_counter() - started
print(json.dumps(figures))
"""


def measure_parts(src: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([sys.executable, "-c", PARTS, str(REPO / "examples" / "site" / PAGE)],
                              env=prefect_env(tmp, src), cwd=src, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeline", action="store_true", help="one run of each, phase by phase and per task")
    parser.add_argument("--parts", action="store_true", help="our start-up parts, each timed in isolation")
    parser.add_argument("--src", type=Path, action="append",
                        help="the checkout whose code runs (default: this one); repeat to compare checkouts")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    srcs = [path.resolve() for path in args.src or [REPO]]
    src = srcs[0]
    if args.timeline:
        figures = measure_timeline(src)
        print_timeline(figures)
    elif args.parts:
        figures = measure_parts(src)
        for label, seconds in figures.items():
            print(f"{label:60s} {bool(seconds)}" if "imported" in label else f"{label:60s} {seconds * 1000:8.1f} ms")
    else:
        figures = measure_walls(args.runs, srcs)
        print_walls(figures)
    if args.json:
        args.json.write_text(json.dumps({"src": [str(path) for path in srcs], "figures": figures}, indent=1))


if __name__ == "__main__":
    main()
