"""Staging and loading real parsed pages: atomic batch files, crash recovery, one writer waiting its turn."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from tasks.load import load_batch, load_staged, load_waiting_batches
from tasks.parse import parse_html
from tasks.settings import Settings
from tasks.stage import article_row, list_staged_batches, stage_dir_of, stage_pages, staged_name
from tests.conftest import EXAMPLES_SITE, FIXTURES
from warehouse.db import LockPolicy, WarehouseBusy, connect
from warehouse.batch import BATCH_FIELDS
from warehouse.keys import make_key
from warehouse.loader import STAGED_COLUMNS, read_batch_file

PATIENT = LockPolicy(attempts=40, first_delay_s=0.05, max_delay_s=0.4)


@pytest.fixture(scope="module")
def parsed():
    """Every example article, a page without text and a binary body, parsed by the real parser."""
    pages, urls = [], []
    for path in sorted(EXAMPLES_SITE.glob("*.html")):
        if path.name == "index.html":
            continue
        url = f"https://{path.stem.split('-')[0]}.example/{path.name}"
        pages.append(parse_html(path.read_bytes(), url))
        urls.append(url)
    nav = FIXTURES / "extract" / "nav-only.html"
    pages.append(parse_html(nav.read_bytes(), "https://menus.example/nav.html"))
    urls.append("https://menus.example/nav.html")
    pages.append(parse_html(b"\x00\x01PNG binary", "https://menus.example/logo"))
    urls.append("https://menus.example/logo")
    return pages, urls


def settings_for(tmp_path: Path) -> Settings:
    return Settings(db_path=tmp_path / "news.duckdb")


def rows(db, sql, params=None):
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def hold_file(db: Path, seconds: float) -> subprocess.Popen:
    """Another process (an analyst's session) that opens the file read-only, then releases it
    after `seconds` while staying alive, so only the release can let the writer in."""
    script = (
        "import duckdb, sys, time\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print('held', flush=True)\n"
        "time.sleep(float(sys.argv[2]))\n"
        "con.close()\n"
        "print('released', flush=True)\n"
        "time.sleep(30)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script, str(db), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_staging_is_atomic_and_keeps_every_page(parsed, tmp_path):
    pages, urls = parsed
    settings = settings_for(tmp_path)
    path = stage_pages(pages, urls, "run-1", settings)
    assert path.parent == tmp_path / "news.duckdb.staging" == stage_dir_of(settings)
    assert path.name == staged_name("run-1", urls)
    assert [p.name for p in path.parent.iterdir()] == [path.name]   # no temporary file left behind
    records = read_batch_file(path)
    assert [r["url"] for r in records] == urls
    assert [r["status"] for r in records] == ["ok"] * 6 + ["no_text", "binary"]
    first = records[0]
    expected = article_row(pages[0], urls[0])
    assert (first["title"], first["text"], first["published_iso"]) == (expected.title, expected.text, expected.published_iso)
    assert [q["quote"] for q in first["quotes"]] == [q.quote for q in expected.quotes]


def test_the_loader_reads_every_field_a_batch_record_has():
    # read_json takes the columns it is given: a field missing from STAGED_COLUMNS would be dropped.
    assert re.findall(r"'(\w+)': '", STAGED_COLUMNS) == BATCH_FIELDS


def test_a_write_in_progress_is_never_listed(tmp_path):
    stage = tmp_path / "stage"
    stage.mkdir()
    (stage / ".batch-x.jsonl.123.tmp").write_bytes(b'{"format": "newsdesk-batch-2", "fetch')
    assert list_staged_batches(stage) == []
    assert list_staged_batches(tmp_path / "missing") == []


def test_load_batch_stages_loads_and_removes_the_file(parsed, tmp_path):
    pages, urls = parsed
    settings = settings_for(tmp_path)
    counts = load_batch.fn(pages, urls, "run-1", settings)
    assert (counts.articles, counts.pages) == (6, 8)
    assert list_staged_batches(stage_dir_of(settings)) == []
    for page, url in zip(pages[:6], urls[:6]):
        row = article_row(page, url)
        got = rows(settings.db_path, """
            SELECT url, canonical_url, title, description, site_name, language, text, published_iso,
                   published_raw, published_source, updated_iso, agency, dateline, image, content_hash,
                   extractor_version, run_id
            FROM articles WHERE article_id = ?""", [make_key(row.canonical_url)])
        assert got == [(row.url, row.canonical_url, row.title, row.description, row.site_name, row.language,
                         row.text, row.published_iso, row.published_raw, row.published_source, row.updated_iso,
                         row.agency, row.dateline, row.image, row.content_hash, row.extractor_version, "run-1")]
        assert rows(settings.db_path, """
            SELECT speaker_as_written, quote, start_offset, end_offset FROM quotes
            WHERE article_id = ? ORDER BY position""", [make_key(row.canonical_url)]) == [
            (q.speaker_as_written, q.quote, q.start, q.end) for q in row.quotes]
        assert rows(settings.db_path, """
            SELECT au.name FROM article_authors JOIN authors au USING (author_id)
            WHERE article_id = ? ORDER BY position""", [make_key(row.canonical_url)]) == [(a,) for a in row.authors]
    assert rows(settings.db_path, "SELECT status, count(*) FROM parses GROUP BY 1 ORDER BY 1") == [
        ("binary", 1), ("no_text", 1), ("ok", 6)]


def test_an_empty_batch_loads_nothing_and_leaves_no_file(tmp_path):
    settings = settings_for(tmp_path)
    counts = load_batch.fn([], [], "run-1", settings)
    assert (counts.articles, counts.pages) == (0, 0)
    assert list_staged_batches(stage_dir_of(settings)) == []
    assert rows(settings.db_path, "SELECT count(*) FROM parses") == [(0,)]


def test_a_rerun_of_the_same_batch_leaves_the_same_rows(parsed, tmp_path):
    pages, urls = parsed
    settings = settings_for(tmp_path)
    tables = ["articles", "authors", "article_authors", "tags", "article_tags", "speakers", "quotes", "parses"]
    load_batch.fn(pages, urls, "run-1", settings)
    volatile = {"articles": "EXCLUDE (first_seen, last_seen, text_since)", "parses": "EXCLUDE (parsed_at)"}

    def snapshot():
        return {t: rows(settings.db_path, f"SELECT * {volatile.get(t, '')} FROM {t} ORDER BY ALL") for t in tables}

    before = snapshot()
    load_batch.fn(pages, urls, "run-1", settings)
    assert snapshot() == before
    assert rows(settings.db_path, "SELECT count(*) FROM article_versions") == [(0,)]


def test_batches_left_by_a_crashed_run_are_loaded_by_the_next(parsed, tmp_path):
    pages, urls = parsed
    settings = settings_for(tmp_path)
    # The "crash": two batches staged, the process died before loading them.
    stage_pages(pages[:3], urls[:3], "crashed-run", settings)
    stage_pages(pages[3:], urls[3:], "crashed-run", settings)
    assert len(list_staged_batches(stage_dir_of(settings))) == 2
    result = load_waiting_batches(settings)
    assert (result.files, result.counts.articles, result.counts.pages, result.rejected) == (2, 6, 8, ())
    assert list_staged_batches(stage_dir_of(settings)) == []
    assert rows(settings.db_path, "SELECT count(*), count(DISTINCT run_id) FROM articles") == [(6, 1)]
    assert load_waiting_batches(settings).files == 0


def test_an_unreadable_staged_file_is_set_aside_not_fatal(parsed, tmp_path):
    pages, urls = parsed
    settings = settings_for(tmp_path)
    stage = stage_dir_of(settings)
    stage_pages(pages[:2], urls[:2], "run-1", settings)
    (stage / "batch-garbage.jsonl").write_bytes(b"not json at all\n")
    (stage / "batch-other.jsonl").write_bytes(b'{"fetch_id": "x", "url": "https://a.example/"}\n')
    (stage / "batch-foreign.parquet").write_bytes(b"not parquet at all")
    result = load_waiting_batches(settings)
    assert result.files == 1 and sorted(result.rejected) == [
        str(stage / "rejected" / name) for name in ("batch-foreign.parquet", "batch-garbage.jsonl", "batch-other.jsonl")]
    assert rows(settings.db_path, "SELECT count(*) FROM articles") == [(2,)]


def test_a_parquet_batch_an_older_version_left_waiting_is_still_loaded(parsed, tmp_path):
    pages, urls = parsed
    settings = settings_for(tmp_path)
    staged = stage_pages(pages[:3], urls[:3], "old-run", settings)
    legacy = staged.with_suffix(".parquet")   # format 1: the same columns, in Parquet, marked in its metadata
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * EXCLUDE (format) FROM read_json('{staged}', columns = {STAGED_COLUMNS})) "
                    f"TO '{legacy}' (FORMAT PARQUET, KV_METADATA {{format: 'newsdesk-batch-1'}})")
    staged.unlink()
    result = load_waiting_batches(settings)
    assert (result.files, result.counts.articles, result.rejected) == (1, 3, ())
    assert rows(settings.db_path, "SELECT count(*), any_value(run_id) FROM articles") == [(3, "old-run")]


def test_the_writer_waits_for_a_reader_that_releases_mid_wait_and_loses_nothing(parsed, tmp_path):
    pages, urls = parsed
    settings = settings_for(tmp_path)
    connect(settings.db_path).close()
    staged = stage_pages(pages, urls, "run-1", settings)
    holder = hold_file(settings.db_path, 1.5)
    try:
        started = time.monotonic()
        counts = load_staged(staged, settings, PATIENT)
        waited = time.monotonic() - started
        assert holder.stdout.readline().strip() == "released"
    finally:
        holder.kill()
        holder.wait()
    assert waited >= 1.0   # it really was held out, and got in once the reader let go
    assert counts.articles == 6 and not staged.exists()
    assert rows(settings.db_path, "SELECT count(*) FROM articles") == [(6,)]
    assert rows(settings.db_path, "SELECT count(*) FROM parses") == [(8,)]


def test_a_writer_that_gives_up_keeps_the_batch_for_the_next_run(parsed, tmp_path):
    pages, urls = parsed
    settings = settings_for(tmp_path)
    connect(settings.db_path).close()
    staged = stage_pages(pages, urls, "run-1", settings)
    holder = hold_file(settings.db_path, 30)
    try:
        with pytest.raises(WarehouseBusy, match="lock"):
            load_staged(staged, settings, LockPolicy(attempts=2, first_delay_s=0.05))
    finally:
        holder.kill()
        holder.wait()
    assert staged.exists()
    assert rows(settings.db_path, "SELECT count(*) FROM articles") == [(0,)]
    assert load_waiting_batches(settings).counts.articles == 6
    assert rows(settings.db_path, "SELECT count(*) FROM articles") == [(6,)]


def test_a_writer_process_holding_the_file_is_waited_for_too(parsed, tmp_path):
    """Two loads from two processes: the second waits for the first, both batches land."""
    pages, urls = parsed
    settings = settings_for(tmp_path)
    connect(settings.db_path).close()
    first = stage_pages(pages[:4], urls[:4], "run-a", settings)
    second = stage_pages(pages[4:], urls[4:], "run-b", replace(settings, stage_dir=tmp_path / "other"))
    script = (
        "import sys, time\n"
        "from warehouse.db import open_writer\n"
        "from warehouse.loader import load_staged_file\n"
        "with open_writer(sys.argv[1]) as con:\n"
        "    print('held', flush=True)\n"
        "    time.sleep(1.0)\n"
        "    load_staged_file(con, sys.argv[2])\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script, str(settings.db_path), str(first)],
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert writer.stdout.readline().strip() == "held"
        load_staged(second, settings, PATIENT)
    finally:
        assert writer.wait(timeout=30) == 0
    assert rows(settings.db_path, "SELECT count(*) FROM articles") == [(6,)]
    assert rows(settings.db_path, "SELECT count(DISTINCT run_id) FROM parses") == [(2,)]


def test_a_staged_file_is_plain_json_lines_that_duckdb_reads(parsed, tmp_path):
    pages, urls = parsed
    path = stage_pages(pages, urls, "run-1", settings_for(tmp_path))
    con = duckdb.connect()
    got = con.execute(f"SELECT count(*), sum(len(quotes)) FROM read_json('{path}') WHERE status = 'ok'").fetchone()
    assert got == (6, sum(len(p.quotes) for p in pages))
