"""`newsdesk eval` wiring on tiny gold sets whose answers are known."""
from __future__ import annotations

import contextlib
import gzip
import io
import json

from flows.cli import main
from tasks.parse import parse_html
from tests.conftest import FIXTURES

SEED_PAGE = FIXTURES / "seed" / "devdiscourse-kremlin-putin-biden.html"


def eval_figures(*argv: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["eval", *argv, "--json"]) == 0
    return json.loads(out.getvalue().splitlines()[0])


def test_quotes_eval_counts_a_matched_direct_quote_and_its_speaker(tmp_path):
    text = 'Rail strike ends.\n\n"We have a deal that works for everyone," union leader Mick Lynch said on Friday.'
    start = text.index("We have")
    gold = {"id": "a", "text": text, "quotes": [{
        "quote": text[start:start + 38], "speaker": "union leader Mick Lynch", "cue": "said",
        "kind": "direct", "start": start, "end": start + 38}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n")
    figures = eval_figures("quotes", "--gold", str(path))
    assert (figures["precision"], figures["recall"], figures["speaker_accuracy"]) == (1.0, 1.0, 1.0)


def test_extraction_eval_scores_a_perfect_and_an_unrelated_truth(tmp_path):
    (tmp_path / "html").mkdir()
    body = SEED_PAGE.read_bytes()
    text = parse_html(body, None).text
    for page_id in ("right", "wrong"):
        (tmp_path / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(body))
    truth = {"right": {"url": "http://a.example/1", "articleBody": text},
             "wrong": {"url": "http://a.example/2", "articleBody": "Completely different words in every position here."}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    figures = eval_figures("extraction", "--gold", str(tmp_path))
    assert figures["pages"] == 2
    assert (figures["precision"], figures["recall"]) == (0.5, 0.5)
