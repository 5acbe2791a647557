"""Every page of the example site through the parse path, against the facts in examples/README.md."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from tasks.parse import page_record, parse_html
from tests.conftest import EXAMPLES_SITE, FIXTURES

FACTS = json.loads((FIXTURES / "examples_facts.json").read_text())
# One agency, two spellings: the dateline writes "(AP)", the byline "Associated Press".
AGENCY_ALIASES = {"associated press": "ap"}


def norm(value) -> str:
    return re.sub(r"\s+", " ", value or "").strip().strip(",").casefold()


def agency(value) -> str | None:
    return AGENCY_ALIASES.get(norm(value), norm(value)) if value else None


@pytest.fixture(scope="module", params=sorted(FACTS), ids=lambda name: name.split("-")[0])
def page(request):
    name = request.param
    return FACTS[name], page_record(parse_html((EXAMPLES_SITE / name).read_bytes(), None))


def test_metadata(page):
    facts, got = page
    assert got["status"] == "ok"
    assert (got["title"], got["site_name"], got["authors"], got["language"]) == (
        facts["title"], facts["site_name"], facts["authors"], facts["language"])
    assert agency(got["agency"]) == agency(facts["agency"])
    assert norm(got["dateline"]) == norm(facts["dateline"])


def test_dates_are_instants_with_offsets(page):
    facts, got = page
    assert datetime.fromisoformat(got["published_at"]) == datetime.fromisoformat(facts["published_at"])
    if facts.get("updated_at"):
        assert datetime.fromisoformat(got["updated_at"]) == datetime.fromisoformat(facts["updated_at"])


def test_text(page):
    facts, got = page
    assert got["text"].startswith(facts["text_starts_with"])
    assert got["text"].endswith(facts["text_ends_with"])
    assert len(got["text"].splitlines()) == facts["paragraphs"]


def test_quotes_and_speakers(page):
    facts, got = page
    want = sorted((norm(q["quote"]), q["speaker"], q["kind"]) for q in facts["quotes"])
    assert sorted((norm(q["quote"]), q["speaker"], q["kind"]) for q in got["quotes"]) == want
