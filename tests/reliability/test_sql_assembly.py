"""No SQL assembled from external data: a static scan of flows/, tasks/ and warehouse/."""
from __future__ import annotations

from pathlib import Path

from tests.reliability.sqlscan import scan_package, scan_tree

REPO = Path(__file__).resolve().parents[2]

# Reviewed exceptions: identifiers that come from DuckDB's own catalog (duckdb_tables(), i.e.
# the tables our migrations created), and the export's target path, which is a command-line
# argument quoted by warehouse.queries._sql_string (COPY takes no bound parameter for it).
# Anything else found by the scan fails the test.
REVIEWED = {
    ("warehouse/queries.py", "f'SELECT count(*) FROM \"{table}\"'"),
    ("warehouse/queries.py", "f'COPY (SELECT * FROM \"{table}\") TO {_sql_string(str(target))} "
                             "(FORMAT PARQUET, COMPRESSION ZSTD)'"),
}


def test_product_sql_is_built_from_constants_only():
    findings = [f for f in scan_package(REPO) if (f.path, f.source) not in REVIEWED]
    assert findings == []


def test_the_scan_finds_assembled_sql(tmp_path):
    source = tmp_path / "pkg" / "bad.py"
    source.parent.mkdir()
    source.write_text('''
COLUMNS = "url, title"
TABLES = ("articles", "quotes")

def good(con, url):
    con.execute(f"SELECT {COLUMNS} FROM articles WHERE url = ?", [url])
    for table in TABLES:
        con.execute(f"DELETE FROM {table} WHERE article_id = ?", [url])

def bad_fstring(con, url):
    con.execute(f"SELECT * FROM articles WHERE url = '{url}'")

def bad_concat(con, title):
    sql = "SELECT * FROM articles WHERE title = '" + title + "'"
    con.execute(sql)

def bad_format(con, name):
    con.sql("SELECT * FROM speakers WHERE name = '{}'".format(name))

def bad_percent(con, host):
    con.execute("SELECT * FROM sources WHERE source_id = '%s'" % host)
''')
    lines = sorted(f.line for f in scan_tree(source, tmp_path))
    assert lines == [11, 15, 18, 21]
