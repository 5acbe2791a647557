"""Progress for long runs: a bar on a terminal, a log line every few seconds otherwise."""
from __future__ import annotations

import sys
import time
from logging import Logger

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class RunProgress:
    def __init__(self, total: int, logger: Logger, label: str = "fetch", every_s: float = 10.0):
        self.total, self.done, self.logger, self.label = total, 0, logger, label
        self.every_s, self.last_log = every_s, time.monotonic()
        self.bar = None
        if sys.stderr.isatty() and total > 1:
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), transient=True)
            self.bar_task = self.bar.add_task(label, total=total)
            self.bar.start()

    def advance(self, outcome: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(self.bar_task, advance=1, description=f"{self.label} ({outcome})")
        elif time.monotonic() - self.last_log >= self.every_s or self.done == self.total:
            self.last_log = time.monotonic()
            self.logger.info("%s: %d/%d URLs done", self.label, self.done, self.total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
