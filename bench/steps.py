"""Cost per step of the pipeline, in ms per page, without Prefect, and where parsing spends its time.

    .venv/bin/python bench/steps.py [--pages 200] [--runs 3] [--source synthetic|zyte] [--seed 7]
                                    [--profile 25]

On the same pages (bench/sitegen.py, or the Zyte benchmark's real pages), one process, one
thread, timed with perf_counter:
  fetch      tasks.fetch.fetch_page's function (fetch_url + the raw archive) from flows/site_server.py
             in a subprocess on 127.0.0.1, one request at a time (robots.txt fetched before timing);
  decode     tasks.parse_steps.decode_page (sha256, UTF-8 or the declared charset);
  metadata   tasks.parse_steps.add_metadata;
  text       tasks.parse_steps.add_text (tasks.extract.extract_text: trafilatura + our cleanup);
  quotes     tasks.parse_steps.add_quotes;
  stage      tasks.stage.stage_pages, batches of Settings.parse_batch_size (Parquet, fsync);
  load       tasks.load.load_staged of those files into a new DuckDB file (one transaction a batch).
and, for scale, `trafilatura.extract(html)` with its defaults on the same decoded pages.
Fetch, stage and load each run over all pages; the parse steps and the bare extract are paired:
each page goes through decode, metadata, text, quotes and the bare extract in turn, so that load
from other processes hits them alike. Median over --runs of each step's total; the load gets a
fresh DuckDB file every run.

Then a cProfile of tasks.parse.parse_html over the same pages: the top functions by cumulative
and by own time, and the share of the parse spent inside trafilatura.extract, extract_metadata
and extract_quotes.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import trafilatura  # noqa: E402

from sitegen import generate_site, serve_in_subprocess, zyte_site  # noqa: E402
from tasks.fetch import fetch_page, fetch_url  # noqa: E402
from tasks.load import load_staged  # noqa: E402
from tasks.parse_steps import add_metadata, add_quotes, add_text, apply_step, decode_page, parse_html  # noqa: E402
from tasks.settings import Settings  # noqa: E402
from tasks.stage import stage_pages  # noqa: E402

STEPS = ("fetch", "decode", "metadata", "text", "quotes", "stage", "load")


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def one_round(urls: list[str], htmls: list[str], settings: Settings, run: int) -> dict[str, float]:
    """Seconds per step over all pages, one step after the other."""
    seconds = {}
    fetched, seconds["fetch"] = timed(lambda: [fetch_page.fn(u, settings) for u in urls])
    bad = [f.outcome for f in fetched if f.outcome != "fetched"]
    if bad:
        raise SystemExit(f"fetch failed: {bad[:5]}")
    pages = []
    for name in ("decode", "metadata", "text", "quotes", "bare trafilatura.extract"):
        seconds[name] = 0.0
    # Paired: each page goes through every parse step and the bare extract in turn, so that load
    # from other processes hits them alike (a step timed over all pages at another moment would not).
    for f, page_html in zip(fetched, htmls):
        page, took = timed(lambda: decode_page(f.body, f.final_url or f.url))
        seconds["decode"] += took
        for name, step in (("metadata", add_metadata), ("text", add_text), ("quotes", add_quotes)):
            page, took = timed(lambda step=step, page=page: apply_step(step, page))
            seconds[name] += took
        _, took = timed(lambda: trafilatura.extract(page_html))
        seconds["bare trafilatura.extract"] += took
        pages.append(page)
    size = settings.parse_batch_size
    batches = [(pages[i:i + size], urls[i:i + size]) for i in range(0, len(pages), size)]
    paths, seconds["stage"] = timed(lambda: [stage_pages(p, u, f"bench-{run}", settings) for p, u in batches])
    _, seconds["load"] = timed(lambda: [load_staged(path, settings) for path in paths])
    return seconds


def profile_parse(bodies: list[tuple[bytes, str]], top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for body, url in bodies:
        parse_html(body, url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = stats.total_tt
    shares = {}
    for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items():
        for label, wanted in (("trafilatura.extract (all calls)", ("core.py", "extract")),
                              ("extract_metadata", ("metadata.py", "extract_metadata")),
                              ("extract_quotes", ("quotes.py", "extract_quotes")),
                              ("extract_text", ("extract.py", "extract_text")),
                              ("load_html (lxml parse)", ("utils.py", "load_html"))):
            if filename.endswith(wanted[0]) and name == wanted[1]:
                shares[label] = shares.get(label, 0.0) + cumulative
    out.write(f"parse_html over {len(bodies)} pages: {total:.2f} s profiled ({total * 1000 / len(bodies):.1f} ms/page "
              "with profiling overhead)\n")
    for label, seconds in sorted(shares.items(), key=lambda kv: -kv[1]):
        out.write(f"  {label}: {seconds:.2f} s cumulative, {100 * seconds / total:.0f}% of the parse\n")
    out.write("\n")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", choices=("synthetic", "zyte"), default="synthetic")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", type=int, default=25, help="functions to list (0: no profile)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsdesk-steps-") as tmp_name:
        tmp = Path(tmp_name)
        site = zyte_site(tmp / "site", args.pages) if args.source == "zyte" else generate_site(tmp / "site", args.pages, args.seed)
        raw = [(site.directory / p).read_bytes() for p in site.paths]
        htmls = [b.decode("utf-8", "replace") for b in raw]
        n = len(raw)
        print(f"{n} {args.source} pages, {sum(map(len, raw)) / n / 1024:.1f} KiB each on average; "
              f"median of {args.runs} runs; one thread, no Prefect\n")
        rounds = []
        with serve_in_subprocess(site.directory) as base_url:
            urls = [f"{base_url}/{p}" for p in site.paths]
            base = Settings(allow_private_hosts=True, per_host_delay_s=0.0)
            fetch_url(urls[0], replace(base, db_path=tmp / "warm.duckdb"))  # robots.txt, the session
            for run in range(args.runs):
                settings = replace(base, db_path=tmp / f"steps-{run}.duckdb")
                rounds.append(one_round(urls, htmls, settings, run))
                print(f"run {run + 1}: " + ", ".join(f"{k} {v * 1000 / n:.1f}" for k, v in rounds[-1].items()), flush=True)
        names = list(rounds[0])
        med = {k: statistics.median([r[k] for r in rounds]) * 1000 / n for k in names}
        spread = {k: (min(r[k] for r in rounds) * 1000 / n, max(r[k] for r in rounds) * 1000 / n) for k in names}
        pipeline_ms = sum(med[k] for k in STEPS)
        print("\n| step | ms/page, median (min-max) | share of the pipeline |")
        print("|---|---|---|")
        for k in names:
            share = f"{100 * med[k] / pipeline_ms:.0f}%" if k in STEPS else "(reference)"
            print(f"| {k} | {med[k]:.2f} ({spread[k][0]:.2f}-{spread[k][1]:.2f}) | {share} |")
        print(f"| all steps | {pipeline_ms:.2f} | 100% |")
        print(f"\none core, no Prefect: {1000 / pipeline_ms:.1f} pages/s for the steps in sequence; "
              f"bare trafilatura.extract {1000 / med['bare trafilatura.extract']:.1f} pages/s; "
              f"parse only (decode+metadata+text+quotes) {1000 / sum(med[k] for k in STEPS[1:5]):.1f} pages/s\n")
        if args.profile:
            print(profile_parse([(b, f"{base_url}/{p}") for b, p in zip(raw, site.paths)], args.profile))


if __name__ == "__main__":
    main()
