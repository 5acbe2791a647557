"""`newsdesk sql`, `newsdesk stats` and `newsdesk export` on a real loaded file."""
from __future__ import annotations

import csv
import hashlib
import io
import json

import duckdb
import pytest

from flows.cli import main
from tests.test_warehouse_views import build_sample_warehouse, readme_queries
from warehouse.db import connect, list_migrations


@pytest.fixture()
def loaded_db(tmp_path):
    path = tmp_path / "news.duckdb"
    build_sample_warehouse(path)
    return path


def file_digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sql_prints_a_readable_table(loaded_db, capsys):
    assert main(["sql", "SELECT speaker, quotes, articles FROM top_speakers", "--db", str(loaded_db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "speaker       quotes  articles",
        "------------  ------  --------",
        "Yuri Ushakov  3       2",
        "Ana Ruiz      1       1",
        "Joe Biden     1       1",
    ]


def test_sql_csv_and_json(loaded_db, capsys):
    sql = "SELECT source_id, day, articles FROM articles_per_source_day ORDER BY source_id, day"
    assert main(["sql", sql, "--db", str(loaded_db), "--format", "csv"]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [
        ["source_id", "day", "articles"], ["gazette.example.org", "2024-03-01", "1"],
        ["gazette.example.org", "", "1"], ["news.example.com", "2024-03-01", "2"]]
    assert main(["sql", "SELECT authors FROM article_overview WHERE title = 'Title of a1'", "--db", str(loaded_db),
                 "--format", "csv"]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [["authors"], ['["Jane Doe", "John Roe"]']]
    assert main(["sql", "SELECT title, published_at, authors FROM article_overview WHERE title = 'Title of a1'",
                 "--db", str(loaded_db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"title": "Title of a1", "published_at": "2024-03-01T09:00:00+00:00", "authors": ["Jane Doe", "John Roe"]}]


def test_sql_is_read_only(loaded_db, capsys):
    before = file_digest(loaded_db)
    assert main(["sql", "DELETE FROM articles", "--db", str(loaded_db)]) == 1
    assert "read-only" in capsys.readouterr().err
    assert file_digest(loaded_db) == before
    con = connect(loaded_db, read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (4,)
    con.close()


def test_sql_reports_errors_without_a_traceback(tmp_path, capsys):
    assert main(["sql", "SELECT 1", "--db", str(tmp_path / "missing.duckdb")]) == 1
    assert "no warehouse file" in capsys.readouterr().err
    assert not (tmp_path / "missing.duckdb").exists()   # a reader never creates the file


def test_stats_counts_tables_and_shows_source_health(loaded_db, capsys):
    assert main(["stats", "--db", str(loaded_db)]) == 0
    out = capsys.readouterr().out
    assert f"(schema version {list_migrations()[-1][0]})" in out
    lines = out.splitlines()
    for table, count in [("articles", 4), ("quotes", 5), ("article_versions", 1), ("fetches", 9), ("parses", 7),
                         ("runs", 2)]:
        assert any(line.split() == [table, str(count)] for line in lines), table
    gazette = [line.split() for line in lines if line.startswith("gazette.example.org")]
    assert gazette[0][:5] == ["gazette.example.org", "2", "0.5", "0.5", "0.5"]
    assert gazette[1] == ["gazette.example.org", "2024-03-02", '["date",', '"author"]', "0.5", "0.0", "0.0"]


def test_export_writes_every_table_and_a_script_that_queries_them(loaded_db, tmp_path, capsys, monkeypatch):
    out_dir = tmp_path / "exported"
    assert main(["export", str(out_dir), "--db", str(loaded_db)]) == 0
    con = connect(loaded_db, read_only=True)
    tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    originals = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    con.close()
    assert sorted(p.stem for p in out_dir.glob("*.parquet")) == tables
    # The documented way: from inside the folder, views.sql makes the tables and views again.
    monkeypatch.chdir(out_dir)
    exported = duckdb.connect()
    exported.execute("SET TimeZone = 'UTC'")
    exported.execute((out_dir / "views.sql").read_text())
    for table in tables:
        assert exported.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == originals[table], table
    for sql in readme_queries():
        assert exported.execute(sql).fetchall(), sql
    # And a single file straight away, no script needed.
    assert exported.execute("SELECT count(*) FROM 'articles.parquet'").fetchone() == (4,)
    exported.close()
    # Or from anywhere, with the folder on DuckDB's search path.
    monkeypatch.chdir(tmp_path)
    elsewhere = duckdb.connect()
    elsewhere.execute(f"SET file_search_path = '{out_dir}'")
    elsewhere.execute((out_dir / "views.sql").read_text())
    assert elsewhere.execute("SELECT speaker, quotes FROM top_speakers LIMIT 1").fetchall() == [("Yuri Ushakov", 3)]
    elsewhere.close()
    assert "views.sql" in capsys.readouterr().out


def test_sql_waits_while_a_load_holds_the_file(loaded_db, capsys):
    import subprocess
    import sys
    import time

    script = ("import duckdb, sys, time\n"
              "con = duckdb.connect(sys.argv[1])\n"   # a writer: readers in other processes must wait
              "print('held', flush=True)\n"
              "time.sleep(1.0)\n"
              "con.close()\n")
    holder = subprocess.Popen([sys.executable, "-c", script, str(loaded_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        assert main(["sql", "SELECT count(*) AS n FROM articles", "--db", str(loaded_db), "--format", "csv"]) == 0
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert capsys.readouterr().out.split() == ["n", "4"]
    assert waited >= 0.5
