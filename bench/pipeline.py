"""End-to-end throughput: the ingest flow against a bare loop of trafilatura.extract, side by side.

    .venv/bin/python bench/pipeline.py [--pages 400] [--runs 3] [--modes threads]
                                       [--source synthetic|zyte] [--seed 7] [--per-host 8]
                                       [--parse-processes N]

The pages (bench/sitegen.py: a synthetic site in four templates, or the Zyte benchmark's real
pages) are served by flows/site_server.py in a subprocess on 127.0.0.1. Each round runs, on the
SAME pages, in turn:
  - bare:     `trafilatura.extract(html)` (defaults) over the decoded pages, one process;
  - bare x2:  the same loop spread over a pool of 2 processes (both cores; pool started before);
  - threads:  `flows.ingest.ingest` with its default task runner (a thread pool): fetch from
              the local server, decode, metadata, text, quotes, stage and load into a new DuckDB
              file, record the run;
  - dask:     the same flow with `ingest.with_options(task_runner=dask_runner(None))`: a local
              Dask cluster of 2 worker processes, so the parse steps use both cores. Asked for
              with --modes threads,dask; it runs at about 2 pages/s here, so use --pages 150 to
              stay under 10 minutes.
  - threads-nolimit, dask-nolimit (only when asked for): what-if runs of the same flow with the
              warehouse-writer concurrency limit of tasks/writer.py replaced by a no-op, to show what
              acquiring it costs (it is a call to the Prefect API; see docs/BENCHMARKS.md).
  - threads-nohostlimits (only when asked for): a what-if run with Settings.host_concurrency_limits
              off: no Prefect limit per host around every request (tasks/host_limits.py), only
              the process's own per-host limits.
Settings of the flow runs: allow_private_hosts (the server is on loopback), per_host_delay_s=0
(no politeness pause: it would measure the delay, not the pipeline), per_host_concurrency=8 (all
pages are on one host: 8 fetches in flight, as many as a sensible crawler would open to one
site), robots.txt obeyed (one request). Each run writes a fresh DuckDB file (a first ingest:
inserts, not updates).

Start-up is reported apart from throughput: one Prefect API server is started for the whole
benchmark (prefect_test_harness: a subprocess with a temporary database, its URL in the settings
so that Dask workers use it too), then a warm-up flow run of one page; neither is counted. A Dask
run also starts its local cluster. Pages/s of a flow run is measured two ways:
  - "flow window": pages / (RunSummary.finished_at - started_at), the flow body from its first
    line to the end of the last load: discovery, fetch, parse and load. This is the primary figure.
  - "wall": pages / the whole `ingest(...)` call, which adds the per-run fixed costs (flow run
    creation, task runner start and, for Dask, the cluster start, record-run, the artifact).
Ratios are computed per round (flow rate / bare rate of the same round) and the median over
rounds is printed with its min-max, since other processes share the machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

# parse and load: wall time in the flow (load: from its submission to its end, overlapping the
# next batch's parse); decode, metadata, text, quotes: time inside the parse workers, summed
# over the worker processes (they run side by side, so their sum can exceed the parse's wall).
STEPS = ("parse", "decode", "metadata", "text", "quotes", "load")


@dataclass
class FlowRun:
    mode: str
    pages: int
    wall_s: float
    window_s: float
    counts: dict
    step_seconds: dict
    fetch_ms: list[float] = field(default_factory=list)
    writer_waits: list[float] = field(default_factory=list)  # s to acquire the writer limit, each time
    cpu_s: dict = field(default_factory=dict)   # CPU seconds during the run, per process group

    @property
    def rate_window(self) -> float:
        return self.pages / self.window_s

    @property
    def rate_wall(self) -> float:
        return self.pages / self.wall_s


def isolate_prefect(home: Path) -> None:
    """A Prefect home of our own (its ephemeral server and database), quiet logs; before importing prefect."""
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@contextmanager
def prefect_server():
    """A Prefect API server in a subprocess with a temporary database, its URL in the settings.

    Not the ephemeral server a flow starts by itself: its URL is not in the settings the Dask
    workers get, and in one trial here the workers, trying to start servers of their own, failed
    with "Server process did not start" (see docs/BENCHMARKS.md).
    """
    from prefect.testing.utilities import prefect_test_harness

    started = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=120):
        print(f"Prefect API server started in {time.perf_counter() - started:.1f} s (not counted)", flush=True)
        yield


def bench_settings(db_path: Path, per_host: int, parse_processes: int | None = None):
    """parse_processes: None keeps the default (one parse worker per core)."""
    from tasks.settings import Settings

    settings = Settings(db_path=db_path, allow_private_hosts=True, per_host_delay_s=0.0,
                        per_host_concurrency=per_host)
    return settings if parse_processes is None else replace(settings, parse_processes=parse_processes)


def bare_loop(htmls: list[str]) -> float:
    import trafilatura

    started = time.perf_counter()
    for page in htmls:
        trafilatura.extract(page)
    return time.perf_counter() - started


def _extract_one(page: str) -> int:
    import trafilatura

    return len(trafilatura.extract(page) or "")


def bare_pool(pool: ProcessPoolExecutor, htmls: list[str]) -> float:
    started = time.perf_counter()
    list(pool.map(_extract_one, htmls, chunksize=8))
    return time.perf_counter() - started


def fetch_times(db_path: Path, run_id: str) -> list[float]:
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT elapsed_ms FROM fetches WHERE run_id = ? AND outcome = 'fetched'",
                           [run_id]).fetchall()
    return [r[0] for r in rows if r[0] is not None]


@contextmanager
def observed_writer_limit(waits: list[float], skip: bool = False) -> Iterator[None]:
    """Records how long each acquisition of the warehouse-writer limit (tasks/writer.py) takes.
    Observation only (the same function runs, with the same arguments), unless skip: then the
    limit is not taken at all, a what-if run that shows what the limit costs."""
    import tasks.writer as writer

    original = writer.take_writer_slot

    def timed(settings):
        started = time.perf_counter()
        slot = None if skip else original(settings)
        waits.append(time.perf_counter() - started)
        return slot

    writer.take_writer_slot = timed
    try:
        yield
    finally:
        writer.take_writer_slot = original


def run_flow(mode: str, urls: list[str], settings, feeds: list[str] | None = None, pages: int | None = None) -> FlowRun:
    """One ingest run; with feeds, `pages` says how many articles they list (for the rates)."""
    from flows.ingest import ingest
    from flows.runners import dask_runner

    runner, _, what_if = mode.partition("-")
    if what_if == "nohostlimits":   # what-if: no per-host limit shared across runs (tasks/host_limits.py)
        settings = replace(settings, host_concurrency_limits=False)
    flow = ingest if runner == "threads" else ingest.with_options(task_runner=dask_runner(None))
    waits: list[float] = []
    with observed_writer_limit(waits, skip=what_if == "nolimit"):
        cpu_before = cpu_by_group()
        started = time.perf_counter()
        summary = flow(urls=urls, feeds=feeds, settings=settings)
        wall = time.perf_counter() - started
        cpu_after = cpu_by_group()
    window = (summary.finished_at - summary.started_at).total_seconds()
    cpu = {group: cpu_after.get(group, 0.0) - cpu_before.get(group, 0.0) for group in cpu_after}
    return FlowRun(mode, pages or len(urls), wall, window, summary.counts(), dict(summary.step_seconds),
                   fetch_times(settings.db_path, summary.run_id), waits, cpu)


def cpu_by_group() -> dict[str, float]:
    """CPU seconds (user + system) so far of this process (the flow: fetch threads, Prefect, loads),
    the parse workers (the fork server and its workers), the Prefect API server, and the rest of
    its children (the site server). A process that ended meanwhile is missed; these all live for
    the whole benchmark."""
    import psutil

    groups: dict[str, float] = {}
    me = psutil.Process()
    for proc in [me, *me.children(recursive=True)]:
        try:
            times, cmdline = proc.cpu_times(), " ".join(proc.cmdline())
        except psutil.Error:
            continue
        group = ("flow process" if proc.pid == me.pid else "parse workers" if "multiprocessing" in cmdline
                 else "Prefect API server" if "uvicorn" in cmdline or "prefect" in cmdline else "other")
        groups[group] = groups.get(group, 0.0) + times.user + times.system
    return groups


def median_range(values: list[float], fmt: str = "{:.1f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def report(bare: list[float], pooled: list[float], flows: dict[str, list[FlowRun]], pages: int) -> None:
    bare_rates = [pages / s for s in bare]
    pool_rates = [pages / s for s in pooled]
    print(f"\npages per run: {pages}; rounds: {len(bare)}; figures: median (min-max) over rounds\n")
    print("| what | pages/s (flow window) | pages/s (wall) | ratio to bare, window | ratio to bare, wall "
          "| ratio to bare x2, window |")
    print("|---|---|---|---|---|---|")
    print(f"| bare trafilatura.extract, 1 process | {median_range(bare_rates)} | | 1 | 1 | |")
    print(f"| bare trafilatura.extract, 2 processes | {median_range(pool_rates)} | | "
          f"{median_range([p / b for p, b in zip(pool_rates, bare_rates)], '{:.2f}')} | | 1 |")
    for mode, runs in flows.items():
        window = [r.rate_window for r in runs]
        wall = [r.rate_wall for r in runs]
        print(f"| ingest flow, {mode} | {median_range(window)} | {median_range(wall)} | "
              f"{median_range([w / b for w, b in zip(window, bare_rates)], '{:.2f}')} | "
              f"{median_range([w / b for w, b in zip(wall, bare_rates)], '{:.2f}')} | "
              f"{median_range([w / b for w, b in zip(window, pool_rates)], '{:.2f}')} |")
    print("\nper flow run, s (median over rounds):")
    print("| mode | wall | flow window | wall - window (fixed costs) | waiting for the writer limit, all "
          "acquisitions (in window + record-run) | acquisitions |")
    print("|---|---|---|---|---|---|")
    for mode, runs in flows.items():
        med = lambda f: statistics.median([f(r) for r in runs])  # noqa: E731
        print(f"| {mode} | {med(lambda r: r.wall_s):.1f} | {med(lambda r: r.window_s):.1f} | "
              f"{med(lambda r: r.wall_s - r.window_s):.1f} | {median_range([sum(r.writer_waits) for r in runs])} | "
              f"{len(runs[0].writer_waits)} |")
    print("\nms per page inside the flow (RunSummary.step_seconds / pages: parse and load are wall times in the flow, "
          "load including its writer-limit wait; decode, metadata, text, quotes are summed over the parse worker "
          "processes; fetch = median latency of one fetch, 8 in flight):")
    print("| mode | fetch | " + " | ".join(STEPS) + " | writer-limit waits in the window | parse + load |")
    print("|---|---|" + "---|" * (len(STEPS) + 2))
    for mode, runs in flows.items():
        per_step = [statistics.median([r.step_seconds.get(s, 0.0) * 1000 / r.pages for r in runs]) for s in STEPS]
        fetch = statistics.median([statistics.median(r.fetch_ms) for r in runs if r.fetch_ms] or [0.0])
        # The last acquisition is record-run's, after the window; the others (recovery of staged
        # batches at the start, every batch's load, remembering validators) are inside it.
        waits = statistics.median([sum(r.writer_waits[:-1]) * 1000 / r.pages for r in runs])
        print(f"| {mode} | {fetch:.1f} | " + " | ".join(f"{v:.1f}" for v in per_step)
              + f" | {waits:.1f} | {per_step[0] + per_step[-1]:.1f} |")
    print("\nCPU ms per page during the flow run (wall), per process group, median over rounds; the bare "
          "loop's, for scale, is 1000 / its pages per second:")
    groups = sorted({g for runs in flows.values() for r in runs for g in r.cpu_s})
    print("| mode | " + " | ".join(groups) + " | all |\n|---|" + "---|" * (len(groups) + 1))
    for mode, runs in flows.items():
        cells = [statistics.median([r.cpu_s.get(g, 0.0) * 1000 / r.pages for r in runs]) for g in groups]
        total = statistics.median([sum(r.cpu_s.values()) * 1000 / r.pages for r in runs])
        print(f"| {mode} | " + " | ".join(f"{c:.1f}" for c in cells) + f" | {total:.1f} |")
    for mode, runs in flows.items():
        bad = [r.counts for r in runs if set(r.counts) != {"loaded"}]
        if bad:
            print(f"WARNING {mode}: not every page loaded: {bad}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default="threads",
                        help="threads, dask; what-if runs: threads-nolimit, dask-nolimit without the writer limit, "
                             "threads-nohostlimits without the per-host limits shared across runs")
    parser.add_argument("--source", choices=("synthetic", "zyte"), default="synthetic")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-host", type=int, default=8)
    parser.add_argument("--parse-processes", type=int, default=None,
                        help="parse worker processes (default: Settings' default, one per core; 0: in the task's thread)")
    args = parser.parse_args()
    modes = [m for m in args.modes.split(",") if m]

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        isolate_prefect(tmp / "prefect")
        from sitegen import generate_site, serve_in_subprocess, zyte_site

        site = zyte_site(tmp / "site", args.pages) if args.source == "zyte" else generate_site(tmp / "site", args.pages, args.seed)
        bodies = [(site.directory / p).read_bytes() for p in site.paths]
        htmls = [b.decode("utf-8", "replace") for b in bodies]
        print(f"{len(site.paths)} {args.source} pages, {sum(map(len, bodies)) / len(bodies) / 1024:.1f} KiB each on average")
        bare, pooled, flows = [], [], {m: [] for m in modes}
        with ExitStack() as stack:
            base_url = stack.enter_context(serve_in_subprocess(site.directory))
            pool = stack.enter_context(ProcessPoolExecutor(2))
            urls = [f"{base_url}/{p}" for p in site.paths]
            bare_pool(pool, htmls[:4])  # start the workers and import trafilatura there
            stack.enter_context(prefect_server())
            started = time.perf_counter()
            # Enough pages to start the parse workers too (tasks/parse_pool.py): like the API
            # server, they are started once per process and serve every later run.
            from tasks.parse_pool import MIN_PAGES

            run_flow("threads", urls[:MIN_PAGES], bench_settings(tmp / "warmup.duckdb", args.per_host, args.parse_processes))
            print(f"warm-up flow run of {MIN_PAGES} pages (starts the parse workers): "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            for r in range(args.runs):
                bare.append(bare_loop(htmls))
                pooled.append(bare_pool(pool, htmls))
                line = f"round {r + 1}: bare {len(htmls) / bare[-1]:.1f} p/s, bare x2 {len(htmls) / pooled[-1]:.1f} p/s"
                for mode in modes:
                    run = run_flow(mode, urls, bench_settings(tmp / f"run{r}-{mode}.duckdb", args.per_host, args.parse_processes))
                    flows[mode].append(run)
                    line += (f", {mode} {run.rate_window:.1f} p/s window ({run.wall_s:.1f} s wall, "
                             f"writer limit {sum(run.writer_waits):.1f} s)")
                print(line, flush=True)
        report(bare, pooled, flows, len(htmls))


if __name__ == "__main__":
    main()
