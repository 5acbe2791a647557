"""Task runners: threads by default (fetching is I/O bound), a Dask cluster for scale-out.

With Dask, every task of the flow runs on the cluster's workers: fetches in their threads, the
batched parse steps on their processes, so parsing uses every core of every machine. Loading
stays a single writer: the load task holds the warehouse-writer concurrency slot.
"""
from __future__ import annotations

from prefect.task_runners import ThreadPoolTaskRunner


def thread_runner(workers: int) -> ThreadPoolTaskRunner:
    return ThreadPoolTaskRunner(max_workers=workers)


def dask_runner(address: str | None, local_workers: int = 2):
    """address: a running scheduler (tcp://host:8786); None: a local cluster of processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": local_workers, "threads_per_worker": 4,
                                          "processes": True, "dashboard_address": None})
