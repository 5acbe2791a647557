"""An analyst's session: a separate process that holds the DuckDB file read-only for a while.

    python -m tests.reliability.analyst DB SECONDS

Prints `holding <articles> <time>` once the connection is open and has read the articles, and
`released <time>` after closing it (times are time.time()). DuckDB lets one process write a file
and a reader in another process blocks that writer, which is what this session is for.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.reliability.cli import REPO


def hold(db: str, seconds: float) -> None:
    con = duckdb.connect(db, read_only=True)
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"holding {articles} {time.time()}", flush=True)
    time.sleep(seconds)
    con.close()
    print(f"released {time.time()}", flush=True)


class Analyst:
    """Starts the session and waits until it holds the file."""

    def __init__(self, db: Path, seconds: float):
        self.process = subprocess.Popen([sys.executable, "-m", "tests.reliability.analyst", str(db), str(seconds)],
                                        cwd=REPO, stdout=subprocess.PIPE, text=True)
        words = self.process.stdout.readline().split()
        assert words and words[0] == "holding", words
        self.articles_seen, self.held_at = int(words[1]), float(words[2])

    def released_at(self) -> float:
        """Waits for the session's end; when it let the file go."""
        words = self.process.stdout.readline().split()
        self.process.wait(timeout=600)
        assert words and words[0] == "released", words
        return float(words[1])


if __name__ == "__main__":
    hold(sys.argv[1], float(sys.argv[2]))
