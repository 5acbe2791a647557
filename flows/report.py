"""Printing what a run did, for people at a terminal."""
from __future__ import annotations

from flows.runs import RunSummary


def print_summary(summary: RunSummary) -> None:
    seconds = (summary.finished_at - summary.started_at).total_seconds() if summary.finished_at else 0
    print(f"run {summary.run_id}: {len(summary.outcomes)} URLs in {seconds:.1f} s into {summary.db_path}")
    for outcome, count in summary.counts().items():
        print(f"  {outcome:<16} {count}")
    print(f"  ({summary.retries} fetch retries)")
    for url, outcome in summary.outcomes.items():
        if outcome != "loaded":
            print(f"  ! {outcome}: {url} {summary.details.get(url, '')}")
