"""The seed article through `newsdesk parse`: every value of expected.json."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from flows.cli import main
from tests.conftest import FIXTURES

SEED = FIXTURES / "seed"
EXPECTED = json.loads((SEED / "expected.json").read_text())


def norm(value) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["parse", str(SEED / EXPECTED["page"]), "--url", EXPECTED["article"]["canonical_url"]])
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


@pytest.mark.parametrize("field", ["title", "site_name", "canonical_url", "agency", "dateline", "language"])
def test_article_fields(record, field):
    assert norm(record[field]) == norm(EXPECTED["article"][field])


@pytest.mark.parametrize("field", ["published_at", "updated_at"])
def test_dates_are_the_same_instant_with_the_page_offset(record, field):
    got = datetime.fromisoformat(record[field])
    assert got.utcoffset() is not None
    assert got == datetime.fromisoformat(EXPECTED["article"][field])


def test_country_tag_and_description(record):
    countries = [t["name"] for t in record["tags"] if t["kind"] == "country"]
    assert countries == EXPECTED["article"]["countries"]
    assert record["description"].startswith(EXPECTED["article"]["description_starts_with"])


def test_text(record):
    text, expected = record["text"], EXPECTED["text"]
    assert record["status"] == "ok"
    assert text.startswith(expected["starts_with"]) and text.endswith(expected["ends_with"])
    assert len([p for p in text.split("\n") if p.strip()]) == expected["paragraphs"]
    for residue in expected["must_not_contain"]:
        assert residue not in text


def test_quotes_speakers_cues_and_offsets(record):
    got = {norm(q["quote"]).strip(","): q for q in record["quotes"]}
    assert len(record["quotes"]) == len(EXPECTED["quotes"])
    for want in EXPECTED["quotes"]:
        quote = got[norm(want["quote"]).strip(",")]
        assert (quote["speaker"], quote["speaker_as_written"], quote["cue"], quote["kind"]) == (
            want["speaker"], want["speaker_as_written"], want["cue"], want["kind"])
        assert quote["role"] == want.get("speaker_role")
        assert record["text"][quote["start"]:quote["end"]] == quote["quote"]
