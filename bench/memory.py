"""Peak memory of the process running the ingest flow, for 10k articles (target: 500 MB).

    .venv/bin/python bench/memory.py [--pages 10000] [--source synthetic|zyte] [--seed 7]
                                     [--mode threads|dask] [--interval 1.0]

The site is written by bench/sitegen.py in a subprocess and served by flows/site_server.py in
another one, so that neither counts towards the measured process. The flow runs in a child
process (this file with --child): Prefect API server started (prefect_test_harness, in its own
subprocess), then `flows.ingest.ingest` over the site's RSS feed, which lists every article, with
the settings of bench/pipeline.py (loopback allowed, no per-host delay, 8 fetches at a time),
loading a new DuckDB file. (A feed, not the URL list: 10k URLs given as the flow's `urls`
parameter exceed Prefect's limit of 512 KB of flow-run parameters and the run is refused.)

Reported:
  - peak RSS of the flow process: the kernel's high-water mark (resource.getrusage ru_maxrss, read
    by the child itself at the end), and the largest RSS sampled by psutil every --interval s;
  - its RSS before the flow (imports done, API server up) and the growth during the run;
  - the parse workers (tasks/parse_pool.py: a fork server and one worker per core, children of
    the flow process, and multiprocessing's resource tracker): their RSS together;
  - the pipeline's memory, flow process + parse workers, three ways: the physical pages any of
    them has resident, each page counted once (read from /proc/PID/pagemap: the figure held
    against the target, as it depends on these processes only), their PSS (which also splits a
    library's pages with *unrelated* processes that map it, so it drops by up to 50 MB while
    another program runs from the same venv), and their RSS summed (counts shared pages twice);
  - the peak of the sum of its other descendants (the Prefect API server; Dask workers with
    --mode dask), sampled alike, reported apart: they are not the pipeline's processes;
  - a timeline of RSS against URLs done, to tell a steady state from memory that grows with the
    number of pages.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

MB = 1024 * 1024


def child(args) -> None:
    """Runs the flow in this process and prints one JSON line with what it measured itself."""
    import pipeline

    tmp = Path(args.tmp)
    pipeline.isolate_prefect(tmp / "prefect")
    pages = len((Path(args.site) / "urls.txt").read_text(encoding="utf-8").split())
    with pipeline.prefect_server():
        import psutil

        before = psutil.Process().memory_info().rss
        print(json.dumps({"event": "start", "rss_before": before}), flush=True)
        # Through the feed: 10k URLs as a flow parameter exceed Prefect's 512 KB parameter limit.
        mode = f"{args.mode}-nolimit" if args.no_writer_limit else args.mode
        run = pipeline.run_flow(mode, [], pipeline.bench_settings(tmp / "memory.duckdb", 8),
                                feeds=[f"{args.base_url}/feed.xml"], pages=pages)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"event": "done", "ru_maxrss": peak_kib * 1024, "rss_before": before, "counts": run.counts,
                      "wall_s": run.wall_s, "window_s": run.window_s, "pages": run.pages,
                      "writer_wait_s": sum(run.writer_waits)}), flush=True)


def count_done(db_dir: Path) -> int:
    """URLs fetched so far: the raw archive holds one file per distinct body."""
    archive = db_dir / "memory.duckdb.archive"
    return sum(1 for _ in archive.rglob("*.gz")) if archive.is_dir() else 0


def is_parse_worker(proc) -> bool:
    """The fork server of tasks/parse_pool.py, the parse workers it forks (they share its cmdline),
    and multiprocessing's resource tracker, which the pool starts beside them (about 7 MB)."""
    return any("multiprocessing.forkserver" in part or "multiprocessing.resource_tracker" in part
               for part in proc.cmdline())


PAGE = 4096
PFN_MASK = np.uint64((1 << 55) - 1)   # bits 0-54 of a pagemap entry: the page frame number
PRESENT = np.uint64(1 << 63)
USER_SPACE_END = 1 << 47


def resident_frames(pid: int) -> np.ndarray:
    """The physical page frames a process has resident (its /proc/PID/pagemap; needs root)."""
    frames = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for line in maps:
            start, end = (int(x, 16) for x in line.split()[0].split("-"))
            if start >= USER_SPACE_END:   # [vsyscall]
                continue
            pagemap.seek(start // PAGE * 8)
            entries = np.frombuffer(pagemap.read((end - start) // PAGE * 8), dtype=np.uint64)
            frames.append(entries[(entries & PRESENT) != 0] & PFN_MASK)
    return np.concatenate(frames) if frames else np.empty(0, dtype=np.uint64)


def distinct_resident(pids: list[int]) -> int:
    """Bytes of physical memory the processes hold, a page shared among them counted once."""
    return np.unique(np.concatenate([resident_frames(pid) for pid in pids])).size * PAGE


def sample(pid: int, interval: float, samples: list, stop: threading.Event, tmp: Path) -> None:
    """(seconds, flow RSS, other subprocesses' RSS, archived, parse workers' RSS, flow + parse
    workers' PSS, their distinct resident pages). PSS (proportional set size) shares a page among
    the processes that map it, so it does not count twice what the forked workers share with
    their fork server; but it shares library pages with unrelated processes too. The distinct
    pages are what these processes hold, whatever else runs."""
    import psutil

    proc = psutil.Process(pid)
    started, archived = time.perf_counter(), 0
    while not stop.is_set():
        try:
            own = proc.memory_info().rss
            kids = [k for k in proc.children(recursive=True) if k.is_running()]
            workers = [k for k in kids if is_parse_worker(k)]
            others = sum(k.memory_info().rss for k in kids if k not in workers)
            worker_rss = sum(k.memory_info().rss for k in workers)
            pss = sum(p.memory_full_info().pss for p in [proc, *workers])
            distinct = distinct_resident([p.pid for p in [proc, *workers]])
        except (psutil.Error, FileNotFoundError, ProcessLookupError):
            if not proc.is_running():
                break
            continue
        if len(samples) % 5 == 0:  # walking the archive costs I/O: not every sample
            archived = count_done(tmp)
        samples.append((time.perf_counter() - started, own, others, archived, worker_rss, pss, distinct))
        stop.wait(interval)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--source", choices=("synthetic", "zyte"), default="synthetic")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mode", choices=("threads", "dask"), default="threads")
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--no-writer-limit", action="store_true",
                        help="what-if: run without the warehouse-writer concurrency limit (see bench/pipeline.py)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    parser.add_argument("--site", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    from sitegen import read_site, serve_in_subprocess

    with tempfile.TemporaryDirectory(prefix="newsdesk-memory-") as tmp_name:
        tmp = Path(tmp_name)
        site_dir = tmp / "site"
        started = time.perf_counter()
        subprocess.run([sys.executable, str(REPO / "bench" / "sitegen.py"), str(site_dir), "--pages", str(args.pages),
                        "--seed", str(args.seed), "--source", args.source], check=True)
        site = read_site(site_dir)
        size = sum((site_dir / p).stat().st_size for p in site.paths)
        print(f"site written in {time.perf_counter() - started:.0f} s: {len(site.paths)} pages, "
              f"{size / MB:.0f} MB ({size / len(site.paths) / 1024:.1f} KiB a page)", flush=True)
        with serve_in_subprocess(site_dir) as base_url:
            proc = subprocess.Popen([sys.executable, __file__, "--child", "--tmp", str(tmp), "--site", str(site_dir),
                                     "--base-url", base_url, "--mode", args.mode]
                                    + (["--no-writer-limit"] if args.no_writer_limit else []),
                                    stdout=subprocess.PIPE, text=True)
            samples: list = []
            stop = threading.Event()
            sampler = threading.Thread(target=sample, args=(proc.pid, args.interval, samples, stop, tmp), daemon=True)
            sampler.start()
            events = [json.loads(line) for line in proc.stdout if line.startswith("{")]
            returncode = proc.wait()
            stop.set()
            sampler.join()
            archived = count_done(tmp)
        report(args, events, samples, len(site.paths), returncode, archived)


def report(args, events: list[dict], samples: list, pages: int, returncode: int, archived: int) -> None:
    done = next((e for e in events if e["event"] == "done"), None)
    peak_sampled = max(s[1] for s in samples)
    peak_kids = max(s[2] for s in samples)
    label = f"mode {args.mode}" + (", no writer limit (what-if)" if args.no_writer_limit else "")
    if done is None:
        # The run failed: what was sampled up to the failure is still worth reporting.
        print(f"\n{pages} {args.source} pages, {label}: THE FLOW FAILED (exit {returncode}; its stderr above) "
              f"after {samples[-1][0]:.0f} s, {archived} distinct bodies fetched")
        print(f"peak RSS sampled until then: flow process {peak_sampled / MB:.0f} MB, "
              f"subprocesses {peak_kids / MB:.0f} MB")
        print_timeline(args, samples)
        raise SystemExit(1)
    print(f"\n{pages} {args.source} pages, {label}; outcomes {done['counts']}")
    print(f"flow: {done['wall_s']:.0f} s wall, {done['window_s']:.0f} s flow window "
          f"({done['pages'] / done['window_s']:.1f} pages/s), writer limit waits {done['writer_wait_s']:.1f} s")
    print("\n| measure | MB |")
    print("|---|---|")
    print(f"| peak RSS of the flow process (ru_maxrss) | {done['ru_maxrss'] / MB:.0f} |")
    print(f"| peak RSS of the flow process (sampled every {args.interval:g} s) | {peak_sampled / MB:.0f} |")
    print(f"| RSS before the flow (imports, API server up) | {done['rss_before'] / MB:.0f} |")
    print(f"| growth during the run (peak - before) | {(done['ru_maxrss'] - done['rss_before']) / MB:.0f} |")
    print(f"| peak RSS of the parse workers together (tasks/parse_pool.py: fork server and workers) "
          f"| {max(x[4] for x in samples) / MB:.0f} |")
    print(f"| **peak of the pipeline: flow process + parse workers, distinct resident pages, sampled** "
          f"| **{max(x[6] for x in samples) / MB:.0f}** |")
    print(f"| peak of flow process + parse workers, PSS, sampled | {max(x[5] for x in samples) / MB:.0f} |")
    print(f"| peak of flow process + parse workers, RSS summed (counts shared pages twice), sampled "
          f"| {max(x[1] + x[4] for x in samples) / MB:.0f} |")
    print(f"| peak RSS of the other subprocesses (Prefect API server{', Dask workers' if args.mode == 'dask' else ''}) "
          f"| {peak_kids / MB:.0f} |")
    print_timeline(args, samples)


def print_timeline(args, samples: list) -> None:
    print("\ntimeline (s, flow process RSS MB, parse workers RSS MB, flow + workers PSS MB, flow + workers distinct "
          "resident MB, other subprocesses MB, distinct bodies archived so far):")
    step = max(1, len(samples) // 20)
    for t, own, kids, done_count, workers, pss, distinct in samples[::step]:
        print(f"  {t:6.0f}  {own / MB:6.0f}  {workers / MB:6.0f}  {pss / MB:6.0f}  {distinct / MB:6.0f}  {kids / MB:6.0f}"
              f"  {done_count}")


if __name__ == "__main__":
    main()
