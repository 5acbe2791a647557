"""`newsdesk eval extraction|metadata|quotes --gold PATH`: the metrics of ../shared/bench/README.md,
computed through the same parse path as `newsdesk parse`, on any gold data of the same form."""
from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

EVALUATORS = {
    "extraction": ("tasks.evaluation.extraction", "evaluate_extraction",
                   "a folder with ground-truth.json ({id: {url, articleBody}}) and html/<id>.html.gz"),
    "metadata": ("tasks.evaluation.metadata", "evaluate_metadata",
                 "a folder with gold.json ({file: {url, title, author, date}}) and html/<file>.gz"),
    "quotes": ("tasks.evaluation.quotes", "evaluate_quotes",
               "a JSON Lines file of {id, text, quotes: [{quote, speaker, start, end, kind}]}"),
}


def register(commands) -> None:
    parser = commands.add_parser("eval", help="score extraction, metadata or quotes against gold data")
    parser.add_argument("kind", choices=sorted(EVALUATORS))
    parser.add_argument("--gold", type=Path, required=True,
                        help="; ".join(f"{k}: {v[2]}" for k, v in EVALUATORS.items()))
    parser.add_argument("--details", action="store_true", help="also print each page's or article's errors")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.set_defaults(handler=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    import importlib

    module_name, function_name, _ = EVALUATORS[args.kind]
    evaluate = getattr(importlib.import_module(module_name), function_name)
    score = evaluate(args.gold, details=args.details)
    figures, details = split_score(score)
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:<20} {value:.4f}" if isinstance(value, float) else f"{name:<20} {value}")
    if args.details:
        for item in details:
            print(json.dumps(item, ensure_ascii=False, default=str))
    return 0


def split_score(score) -> tuple[dict, list]:
    """The headline figures (scalars and the score's as_dict) and the per-item details (tuples)."""
    figures, details = {}, []
    for field in dataclasses.fields(score):
        value = getattr(score, field.name)
        if isinstance(value, tuple):
            details += [dataclasses.asdict(item) if dataclasses.is_dataclass(item) else item for item in value]
        elif not dataclasses.is_dataclass(value):
            figures[field.name] = round(value, 4) if isinstance(value, float) else value
    if hasattr(score, "as_dict"):
        figures.update(score.as_dict())
    return figures, details
