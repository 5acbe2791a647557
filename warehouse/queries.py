"""Read-only questions asked of the warehouse by the command line, the demo and the tests."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warehouse.db import connect


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


def run_query(path: str | Path, sql: str, params: list | None = None) -> QueryResult:
    """Runs one query on a read-only connection, held only for the query."""
    con = connect(path, read_only=True)
    try:
        cursor = con.execute(sql, params or [])
        columns = tuple(column[0] for column in cursor.description)
        return QueryResult(columns, tuple(cursor.fetchall()))
    finally:
        con.close()


TOP_SPEAKERS_SQL = "SELECT speaker, quotes, articles FROM top_speakers LIMIT 10"


def format_table(result: QueryResult) -> str:
    """A plain-text table, wide enough for every value."""
    cells = [list(result.columns)] + [["" if v is None else str(v) for v in row] for row in result.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(result.columns))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
