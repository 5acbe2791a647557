"""The offline commands: input order, .gz, url maps, error lines that do not stop the command."""
from __future__ import annotations

import contextlib
import gzip
import io
import json

from flows.cli import main
from tests.conftest import EXAMPLES_SITE, FIXTURES

SEED_PAGE = FIXTURES / "seed" / "devdiscourse-kremlin-putin-biden.html"


def run_cli(*argv: str) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_parse_directory_in_name_order_with_gz_url_map_and_bad_files(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "b-seed.html.gz").write_bytes(gzip.compress(SEED_PAGE.read_bytes()))
    (pages / "a-broken.html.gz").write_bytes(b"not gzip at all")
    (pages / "c-binary.html").write_bytes(b"\x00\x01\x02PNG" * 100)
    (pages / "d-empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    (pages / "notes.txt").write_text("ignored: not a page")
    url_map = tmp_path / "urls.json"
    url_map.write_text(json.dumps({"b-seed.html": "https://www.devdiscourse.com/a/1"}))

    records = run_cli("parse", str(pages), "--urls", str(url_map))

    assert [r["file"].rsplit("/", 1)[1] for r in records] == ["a-broken.html.gz", "b-seed.html.gz", "c-binary.html", "d-empty.html"]
    assert [r["status"] for r in records] == ["read_error", "ok", "binary", "no_text"]
    assert records[1]["url"] == "https://www.devdiscourse.com/a/1"
    assert records[1]["agency"] == "Reuters" and len(records[1]["quotes"]) == 3
    assert all(r["error"] for r in records if r["status"] != "ok")


def test_parse_every_example_page(tmp_path):
    records = run_cli("parse", str(EXAMPLES_SITE))
    assert len(records) == len(list(EXAMPLES_SITE.glob("*.html")))
    articles = [r for r in records if not r["file"].endswith("index.html")]
    assert all(r["status"] == "ok" and r["title"] and r["published_at"] for r in articles)
    assert all(r["text"][q["start"]:q["end"]] == q["quote"] for r in articles for q in r["quotes"])


def test_quotes_command_offsets_and_bad_lines(tmp_path):
    text = 'The mayor spoke. "We will rebuild the bridge by spring," Mayor Ana Lopez said on Monday.'
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a1", "text": text, "title": "ignored"}) + "\nnot json\n")
    first, second = run_cli("quotes", str(path))
    assert first["id"] == "a1"
    (quote,) = first["quotes"]
    assert text[quote["start"]:quote["end"]] == quote["quote"] == "We will rebuild the bridge by spring,"
    assert quote["speaker"] == "Ana Lopez"
    assert second["status"] == "bad_input" and second["line"] == 2
