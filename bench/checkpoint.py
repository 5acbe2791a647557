"""What DuckDB's checkpoint on closing the file costs the writer, with and without vacuum.

The pipeline keeps DuckDB's default (vacuum on): without it the peaks below go away, but every
load's rows stay a row group of their own, which in the warehouse's many small tables takes a
256 KB block each per load: bench/load.py at 100k articles wrote a 1,115 MB file instead of 437
(docs/BENCHMARKS.md, "Peak memory").

    .venv/bin/python bench/checkpoint.py [--loads 50] [--rows 200]

Loads --loads batches of --rows articles (800 random words each, about the size of a news
text) into a table keyed like `articles`, opening and closing the file for each batch as the
pipeline's writer does (warehouse.db.open_writer), once with DuckDB's default vacuum and once with
`SET max_vacuum_tasks = 0` (a what-if). Prints, every tenth of the way, the process's RSS before the load,
its peak during the insert and during the close (sampled every 5 ms), and the file's size; then
the row groups the table ends with and the time of one full scan of its text.
"""
from __future__ import annotations

import argparse
import random
import string
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import psutil

MB = 1024 * 1024


class PeakSampler:
    def __init__(self) -> None:
        self.process, self.peak = psutil.Process(), 0
        threading.Thread(target=self._run, daemon=True).start()

    def reset(self) -> int:
        self.peak = self.process.memory_info().rss
        return self.peak

    def _run(self) -> None:
        while True:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)


def run(path: Path, vacuum_tasks: int | None, loads: int, rows: int, sampler: PeakSampler) -> None:
    rng = random.Random(1)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(5000)]
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE a (id VARCHAR PRIMARY KEY, url VARCHAR, text VARCHAR)")
    for load in range(loads):
        batch = [(f"id{load * rows + i}", f"https://news.example.com/{load * rows + i}", " ".join(rng.choices(words, k=800)))
                 for i in range(rows)]
        con = duckdb.connect(str(path))
        if vacuum_tasks is not None:
            con.execute(f"SET max_vacuum_tasks = {vacuum_tasks}")
        before = sampler.reset()
        con.execute("INSERT INTO a SELECT * FROM (VALUES " + ", ".join(["(?, ?, ?)"] * rows) + ")",
                    [value for row in batch for value in row])
        in_insert = sampler.peak
        sampler.reset()
        con.close()
        if (load + 1) % max(1, loads // 10) == 0:
            print(f"  {(load + 1) * rows:7d} rows: RSS before {before / MB:4.0f} MB, peak in insert {in_insert / MB:4.0f}, "
                  f"peak in close {sampler.peak / MB:4.0f}, file {path.stat().st_size / MB:4.0f} MB", flush=True)
    with duckdb.connect(str(path), read_only=True) as con:
        groups = con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('a')").fetchall()[0][0]
        started = time.perf_counter()
        con.execute("SELECT count(*) FROM a WHERE text LIKE '%zzzq%'").fetchall()
        print(f"  row groups {groups}; full scan of the text {time.perf_counter() - started:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=50)
    parser.add_argument("--rows", type=int, default=200)
    args = parser.parse_args()
    sampler = PeakSampler()
    for label, tasks in (("DuckDB's default vacuum (shipped)", None), ("max_vacuum_tasks = 0 (what-if)", 0)):
        print(label)
        with tempfile.TemporaryDirectory() as tmp:
            run(Path(tmp) / "checkpoint.duckdb", tasks, args.loads, args.rows, sampler)


if __name__ == "__main__":
    main()
