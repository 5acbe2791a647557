"""Read-only questions asked of the warehouse (command line, demo, tests) and the Parquet export.

Every function here opens the file read-only and only for its own work, waiting with backoff
while a load holds it (warehouse.db.open_reader), so the single writer is never blocked for long.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import duckdb

from warehouse.db import LockPolicy, open_reader, schema_version


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class WarehouseStats:
    schema_version: int
    table_rows: QueryResult       # (table, rows) for every table
    source_health: QueryResult    # the source_health view, or no rows for a file older than it
    alerts: QueryResult = QueryResult((), ())   # source_health_alerts: sources that parse worse lately


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    tables: tuple[tuple[str, int], ...]   # (table, rows written)
    views_sql: Path                       # recreates tables (over the Parquet files) and views


def run_query(path: str | Path, sql: str, params: list | None = None,
              policy: LockPolicy = LockPolicy()) -> QueryResult:
    """Runs SQL on a read-only connection held only for the query; the last statement's rows."""
    with open_reader(path, policy) as con:
        return _fetch(con, sql, params)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> QueryResult:
    cursor = con.execute(sql, params or [])
    if cursor.description is None:
        return QueryResult((), ())
    columns = tuple(column[0] for column in cursor.description)
    return QueryResult(columns, tuple(cursor.fetchall()))


TOP_SPEAKERS_SQL = "SELECT speaker, quotes, articles FROM top_speakers LIMIT 10"


def list_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary ORDER BY table_name").fetchall()]


def read_stats(path: str | Path, policy: LockPolicy = LockPolicy()) -> WarehouseStats:
    """Rows per table and the per-source health view, in one short read-only session."""
    with open_reader(path, policy) as con:
        counts = tuple((table, con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
                       for table in list_tables(con))
        views = {name for (name,) in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
        health = _fetch(con, "SELECT * FROM source_health") if "source_health" in views else QueryResult((), ())
        alerts = (_fetch(con, "SELECT source_id, day, dropped, text_fill, date_fill, author_fill "
                              "FROM source_health_alerts")
                  if "source_health_alerts" in views else QueryResult((), ()))
        return WarehouseStats(schema_version(con), QueryResult(("table", "rows"), counts), health, alerts)


def export_parquet(path: str | Path, out_dir: str | Path, policy: LockPolicy = LockPolicy()) -> ExportResult:
    """Every table to <out_dir>/<table>.parquet, and views.sql that makes the same schema over them."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with open_reader(path, policy) as con:
        for table in list_tables(con):
            target = out / f"{table}.parquet"
            con.execute(f'COPY (SELECT * FROM "{table}") TO {_sql_string(str(target))} '
                        "(FORMAT PARQUET, COMPRESSION ZSTD)")
            written.append((table, con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]))
        views = con.execute(
            "SELECT view_name, sql FROM duckdb_views() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY view_name").fetchall()
    views_sql = out / "views.sql"
    views_sql.write_text(_views_script([t for t, _ in written], order_views(dict(views))), encoding="utf-8")
    return ExportResult(out, tuple(written), views_sql)


def order_views(views: dict[str, str]) -> list[str]:
    """View statements, each after the views its SQL names (a view can be built on another)."""
    uses = {name: {other for other in views if other != name and re.search(rf"\b{other}\b", sql)}
            for name, sql in views.items()}
    ordered: list[str] = []
    while len(ordered) < len(views):
        ready = sorted(name for name in views if name not in ordered and uses[name] <= set(ordered))
        if not ready:
            raise ValueError(f"views depend on each other in a cycle: {sorted(set(views) - set(ordered))}")
        ordered += ready
    return [views[name] for name in ordered]


def _views_script(tables: list[str], view_statements: list[str]) -> str:
    # Paths are relative, so the folder can be moved or copied whole: read it from inside the folder
    # (or with SET file_search_path to the folder), see docs/WAREHOUSE.md.
    lines = ["-- newsdesk export: each table is a view over its Parquet file, then the analytics views.",
             "-- Run from inside this folder:  duckdb -init views.sql   (or: .read views.sql)"]
    lines += [f'CREATE OR REPLACE VIEW "{t}" AS SELECT * FROM read_parquet({_sql_string(t + ".parquet")});'
              for t in tables]
    lines += [sql.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1) for sql in view_statements]
    return "\n".join(lines) + "\n"


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def format_table(result: QueryResult, max_width: int = 60) -> str:
    """A plain-text table; long values are cut at max_width with an ellipsis, to stay readable."""
    cells = [list(result.columns)] + [[_cut(_text(v), max_width) for v in row] for row in result.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(result.columns))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def format_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([[_text(v) for v in row] for row in result.rows])
    return buffer.getvalue()


def format_json(result: QueryResult) -> str:
    """A JSON array of objects, one row per line; instants as ISO 8601."""
    lines = [json.dumps(dict(zip(result.columns, row)), default=_json_value, ensure_ascii=False)
             for row in result.rows]
    return "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"


def _json_value(value: object) -> object:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (UUID, timedelta)):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):   # LIST and STRUCT columns: JSON, not Python's repr
        return json.dumps(value, default=_json_value, ensure_ascii=False)
    if isinstance(value, (datetime, date, time, bytes, UUID, timedelta)):
        return str(_json_value(value))
    return str(value)


def _cut(value: str, width: int) -> str:
    value = " ".join(value.split()) if "\n" in value else value
    return value if len(value) <= width else value[: width - 1] + "…"
