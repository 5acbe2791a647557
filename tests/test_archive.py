"""The raw archive: content-addressed, compressed, stored once, read back byte for byte."""
from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from tasks.archive import (ArchiveCorrupt, archive_dir_of, archive_path, has_body, read_body,
                           store_body)
from tasks.fetch import fetch_page
from tasks.settings import Settings
from tests.local_server import html, local_server

PAGE = b"<!doctype html><html><body><p>" + b"Archived words. " * 200 + b"</p></body></html>"


def test_a_body_is_stored_once_compressed_under_its_sha256(tmp_path):
    digest = store_body(tmp_path, PAGE)
    path = archive_path(tmp_path, digest)
    assert digest == hashlib.sha256(PAGE).hexdigest()
    assert path == tmp_path / digest[:2] / digest[2:4] / f"{digest}.gz"
    assert gzip.decompress(path.read_bytes()) == PAGE and path.stat().st_size < len(PAGE) / 5
    mtime = path.stat().st_mtime_ns
    assert store_body(tmp_path, PAGE) == digest and path.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{digest}.gz"]
    assert read_body(tmp_path, digest) == PAGE and has_body(tmp_path, digest)


@hsettings(max_examples=25, deadline=None)
@given(st.binary(max_size=4096))
def test_any_body_round_trips(body):
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        assert read_body(Path(root), store_body(Path(root), body)) == body


def test_a_tampered_file_is_detected(tmp_path):
    digest = store_body(tmp_path, PAGE)
    archive_path(tmp_path, digest).write_bytes(gzip.compress(b"something else"))
    with pytest.raises(ArchiveCorrupt):
        read_body(tmp_path, digest)
    with pytest.raises(FileNotFoundError):
        read_body(tmp_path, "0" * 64)


def test_archive_folder_defaults_beside_the_database(tmp_path):
    assert archive_dir_of(Settings(db_path=tmp_path / "news.duckdb")) == tmp_path / "news.duckdb.archive"
    assert archive_dir_of(Settings(archive_dir=tmp_path / "raw")) == tmp_path / "raw"


def test_the_fetch_task_archives_what_it_fetched(tmp_path):
    """The task's own function (.fn): what the flow's task runs, without a Prefect server."""
    settings = Settings(allow_private_hosts=True, per_host_delay_s=0.0, archive_dir=tmp_path / "raw")
    with local_server({"/a": html(PAGE), "/b": html(PAGE)}) as server:
        first = fetch_page.fn(server.base_url + "/a", settings)
        second = fetch_page.fn(server.base_url + "/b", settings)
    assert first.outcome == second.outcome == "fetched" and first.content_hash == second.content_hash
    assert read_body(tmp_path / "raw", first.content_hash) == PAGE
    assert len([p for p in (tmp_path / "raw").rglob("*.gz")]) == 1
