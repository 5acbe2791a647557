"""Rows handed to DuckDB as JSON lines: the staged batch files, and the small tables of a load
(fetches, validators) through a temporary file that DuckDB's read_json reads.

Instead of Arrow tables: with pyarrow, imported for them alone, gone, the flow process peaked at
402-408 MB instead of 510 in a 10k-page run (bench/memory.py, docs/BENCHMARKS.md "Peak memory"),
and the load costs the same CPU (bench/load.py, docs/WAREHOUSE.md).
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()   # DuckDB reads it back as TIMESTAMP(TZ) with its offset
    raise TypeError(f"not JSON: {type(value).__name__}")


def write_json_lines(records: Iterable[dict], handle: IO[str]) -> None:
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False, default=_plain))
        handle.write("\n")


def open_for_json_lines(path: Path | str | int) -> IO[str]:
    """A text file for write_json_lines: UTF-8, and a lone surrogate (invalid Unicode a page can
    carry through) written as "?" rather than failing the whole batch."""
    return open(path, "w", encoding="utf-8", errors="replace")


def read_json_lines(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@contextmanager
def temporary_json_lines(records: Iterable[dict]) -> Iterator[Path]:
    """The records in a temporary JSON lines file, removed afterwards."""
    descriptor, name = tempfile.mkstemp(prefix="newsdesk-", suffix=".jsonl")
    try:
        with open_for_json_lines(descriptor) as handle:
            write_json_lines(records, handle)
        yield Path(name)
    finally:
        os.unlink(name)
