"""Warehouse commands: `newsdesk sql`, `newsdesk stats`, `newsdesk export`. Read-only on the file."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from tasks.settings import Settings
from warehouse.db import WarehouseBusy
from warehouse.queries import (export_parquet, format_csv, format_json, format_table, read_stats,
                               run_query)

FORMATTERS = {"table": format_table, "csv": format_csv, "json": format_json}


def register(commands) -> None:
    sql = commands.add_parser("sql", help="run a read-only SQL query on the warehouse")
    sql.add_argument("query", help='SQL, e.g. "SELECT * FROM top_speakers LIMIT 10"')
    _add_db(sql)
    sql.add_argument("--format", choices=sorted(FORMATTERS), default="table", help="output (default table)")
    sql.set_defaults(handler=run_sql)

    stats = commands.add_parser("stats", help="rows per table and per-source health")
    _add_db(stats)
    stats.set_defaults(handler=run_stats)

    export = commands.add_parser("export", help="every table to DIR/<table>.parquet, plus DIR/views.sql")
    export.add_argument("dir", type=Path, help="output folder (created if missing)")
    _add_db(export)
    export.set_defaults(handler=run_export)


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help=f"DuckDB file (default $NEWSDESK_DB or {Settings().db_path})")


def _db_path(args: argparse.Namespace) -> Path:
    return args.db or Settings.from_env().db_path


def _fail(command: str, error: Exception) -> int:
    print(f"newsdesk {command}: {error}", file=sys.stderr)
    return 1


def run_sql(args: argparse.Namespace) -> int:
    try:
        result = run_query(_db_path(args), args.query)
    except (duckdb.Error, FileNotFoundError, WarehouseBusy) as error:
        return _fail("sql", error)
    print(FORMATTERS[args.format](result).rstrip("\n"))
    return 0


def run_stats(args: argparse.Namespace) -> int:
    try:
        stats = read_stats(_db_path(args))
    except (duckdb.Error, FileNotFoundError, WarehouseBusy) as error:
        return _fail("stats", error)
    print(f"{_db_path(args)}  (schema version {stats.schema_version})\n")
    print(format_table(stats.table_rows))
    print("\nper-source health (fill rates 0..1)\n")
    if stats.source_health.columns:
        print(format_table(stats.source_health))
    else:
        print("(this file predates the health views: the next load upgrades it)")
    if stats.alerts.rows:
        print("\nsources whose latest day parsed worse than the 7 days before (source_health_alerts)\n")
        print(format_table(stats.alerts))
    return 0


def run_export(args: argparse.Namespace) -> int:
    try:
        result = export_parquet(_db_path(args), args.dir)
    except (duckdb.Error, FileNotFoundError, WarehouseBusy, OSError) as error:
        return _fail("export", error)
    for table, rows in result.tables:
        print(f"{result.directory / (table + '.parquet')}  {rows} rows")
    print(f"{result.views_sql}  (cd {result.directory} && duckdb -init views.sql)")
    return 0
