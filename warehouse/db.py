"""Opening the DuckDB file: migrations on connect, and waiting while another process holds it."""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")


class WarehouseBusy(RuntimeError):
    """Another process held the DuckDB file for longer than we were willing to wait."""


@dataclass(frozen=True)
class LockPolicy:
    """How long a writer waits for a file that another process holds (an analyst's session)."""

    attempts: int = 8
    first_delay_s: float = 0.25
    max_delay_s: float = 10.0


def list_migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return found


def apply_migrations(con: duckdb.DuckDBPyConnection, up_to: int | None = None) -> list[int]:
    """Applies the numbered migrations the file has not seen yet, each in its own transaction.

    up_to stops at that version (tests build files as an older release left them).
    """
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, path in list_migrations():
        if version in done or (up_to is not None and version > up_to):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())", [version, path.name]
            )
            con.execute("COMMIT")
        except duckdb.Error:
            # A half-applied migration must not stay: the file keeps its previous version.
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every migration shipped is applied to the open file, in one read-only statement.

    A run opens the file several times: each open asks only this, and only a new or older file
    goes through apply_migrations (which creates its bookkeeping table first). Under load, the
    statements saved are about 15% of an open (docs/BENCHMARKS.md, "Start-up").
    """
    try:
        applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    except duckdb.CatalogException:
        return False   # a new file, or one from before any migration
    return all(version in applied for version, _ in list_migrations())


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Opens the warehouse; a read-write open brings the schema up to date first."""
    con = duckdb.connect(str(path), read_only=read_only)
    # Instants are compared and shown in UTC whatever the machine's zone is.
    con.execute("SET TimeZone = 'UTC'")
    if not read_only:
        try:
            if not schema_is_current(con):
                apply_migrations(con)
        except duckdb.Error:
            con.close()   # a failed upgrade must not keep holding the file
            raise
    return con


def is_lock_error(error: duckdb.Error) -> bool:
    return "lock" in str(error).lower()


@contextmanager
def open_writer(path: str | Path, policy: LockPolicy = LockPolicy()) -> Iterator[duckdb.DuckDBPyConnection]:
    """Holds the file only for the block; while another process holds it, waits with backoff.

    DuckDB allows one process to open a file for writing, and a read-only reader in another
    process blocks the writer too, so a load must wait its turn rather than fail the run.
    """
    con = _connect_waiting(path, policy, read_only=False)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def open_reader(path: str | Path, policy: LockPolicy = LockPolicy()) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for the block; waits with backoff while a load holds the file.

    A missing file is an error here (a reader never creates the warehouse).
    """
    if not Path(path).is_file():
        raise FileNotFoundError(f"no warehouse file at {path}")
    con = _connect_waiting(path, policy, read_only=True)
    try:
        yield con
    finally:
        con.close()


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied to the open file (0 for an empty file)."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def _connect_waiting(path: str | Path, policy: LockPolicy, read_only: bool) -> duckdb.DuckDBPyConnection:
    delay = policy.first_delay_s
    for attempt in range(1, policy.attempts + 1):
        try:
            return connect(path, read_only=read_only)
        except duckdb.IOException as error:
            if not is_lock_error(error):
                raise
            if attempt == policy.attempts:
                raise WarehouseBusy(f"{path}: {error}") from error
        time.sleep(delay)
        delay = min(delay * 2, policy.max_delay_s)
    raise WarehouseBusy(f"{path}: no attempts allowed")
