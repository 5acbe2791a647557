"""What one Prefect task run costs the flow, on the thread runner and on a local Dask cluster.

    .venv/bin/python bench/taskcost.py [--tasks 200] [--runs 3] [--modes threads,dask]

The ingest flow submits one fetch task per URL (`fetch_page.map`), so this per-task cost is paid
once per page before any fetching or parsing. Here a flow maps a task that does nothing over
--tasks items and waits for them with `as_completed`, as flows/ingest.py does; the runners are
the flow's (flows/runners.py: a thread pool of 8, or `dask_runner(None)`, 2 worker processes).
Reported per mode: ms per task for submitting them all (the time `map` takes to return, spent in
the flow process) and for the whole map until the last result (median over --runs, with the
min-max). The Prefect API server is started once, beforehand, and not counted (as in
bench/pipeline.py); every flow run's task runner start (for Dask, the cluster) is outside the
timed part too.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def build_flow():
    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE
    from prefect.futures import as_completed

    @task(name="nothing", cache_policy=NO_CACHE)
    def nothing(item: int) -> int:
        return item

    @flow(name="task-cost")
    def task_cost(n: int) -> tuple[float, float]:
        started = time.perf_counter()
        futures = nothing.map(list(range(n)))
        submitted = time.perf_counter() - started
        for future in as_completed(list(futures)):
            future.result()
        return submitted, time.perf_counter() - started

    return task_cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default="threads,dask")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsdesk-taskcost-") as tmp:
        import pipeline

        pipeline.isolate_prefect(Path(tmp) / "prefect")
        from flows.runners import dask_runner, thread_runner

        task_cost = build_flow()
        runners = {"threads": lambda: thread_runner(8), "dask": lambda: dask_runner(None)}
        results: dict[str, list[tuple[float, float]]] = {}
        with pipeline.prefect_server():
            task_cost.with_options(task_runner=thread_runner(8))(2)  # warm-up, not counted
            for _ in range(args.runs):
                for mode in args.modes.split(","):
                    run = task_cost.with_options(task_runner=runners[mode]())(args.tasks)
                    results.setdefault(mode, []).append(run)
                    print(f"{mode}: submit {run[0] * 1000 / args.tasks:.1f} ms/task, "
                          f"all done {run[1] * 1000 / args.tasks:.1f} ms/task", flush=True)
    print(f"\n{args.tasks} no-op tasks per flow run, {args.runs} runs; ms per task, median (min-max)\n")
    print("| runner | submitting (flow process) | until the last result |")
    print("|---|---|---|")
    for mode, runs in results.items():
        sub = [r[0] * 1000 / args.tasks for r in runs]
        done = [r[1] * 1000 / args.tasks for r in runs]
        print(f"| {mode} | {statistics.median(sub):.1f} ({min(sub):.1f}-{max(sub):.1f}) | "
              f"{statistics.median(done):.1f} ({min(done):.1f}-{max(done):.1f}) |")


if __name__ == "__main__":
    main()
