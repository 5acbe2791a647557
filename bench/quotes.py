"""Quote benchmark on PolNeAR (150 train articles): direct-quote precision, recall, F1 and
speaker accuracy with the metric of tasks/evaluation/quotes.py (../shared/bench/README.md),
and the parsing speed of extract_quotes.

    .venv/bin/python bench/quotes.py [--gold ../shared/bench/quotes/polnear-train-150.jsonl]
        [--runs 5] [--details] [--only missed,spurious,spurious_partial,speaker]

Speed: extract_quotes over every article text, one after another on one core; the figure is
the median articles per second of CPU time over --runs runs (quotes per second alongside):
process CPU time, because the machine is shared and wall time depends on the neighbours.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.evaluation.quotes import (  # noqa: E402
    content_agreement, evaluate_indirect, evaluate_quotes, iter_errors, load_quote_gold,
)
from tasks.quotes import extract_quotes  # noqa: E402

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "bench" / "quotes" / "polnear-train-150.jsonl"


def measure_speed(texts: list[str], runs: int) -> tuple[float, float, float, int]:
    """Median and best articles/s, median quotes/s over `runs` passes, and the quote count."""
    times = []
    count = 0
    for _ in range(runs):
        start = time.process_time()  # CPU time: the machine is shared, wall time is noisy
        count = sum(len(extract_quotes(text)) for text in texts)
        times.append(time.process_time() - start)
    elapsed = statistics.median(times)
    return len(texts) / elapsed, len(texts) / min(times), count / elapsed, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--details", action="store_true", help="list every miss, false alarm and wrong speaker")
    parser.add_argument("--only", default="missed,spurious,spurious_on_partial,spurious_partial,speaker",
                        help="error kinds to list with --details")
    args = parser.parse_args(argv)

    score = evaluate_quotes(args.gold, details=args.details)
    texts = [article.text for article in load_quote_gold(args.gold)]
    articles_per_s, best_per_s, quotes_per_s, count = measure_speed(texts, args.runs)
    chars = sum(len(t) for t in texts)
    print(f"gold file          {args.gold.name} ({len(texts)} articles, {chars / len(texts):.0f} chars each)")
    print(f"direct quotes      gold {score.gold}  matched {score.matched};  predicted inside marks {score.predicted}, "
          f"matching {score.matched_predicted}")
    print(f"precision          {score.precision:.3f}")
    print(f"recall             {score.recall:.3f}")
    print(f"F1                 {score.f1:.3f}")
    print(f"speaker accuracy   {score.speaker_accuracy:.3f}  ({score.speaker_correct}/{score.speaker_scored} named gold speakers)")
    print(f"false alarms       {score.predicted - score.matched_predicted}: {score.spurious_partial_predictions} newsdesk partial "
          f"quotes, {score.spurious_on_partial_gold} overlapping a gold partial quote (diagnostics)")
    print(f"matched unmarked   {score.matched_unmarked} gold direct quotes matched by a partial quote's reported clause "
          f"(recall only: not inside marks, so not in precision)")
    print(f"direct only        P {score.precision_direct_only:.3f}  R {score.recall_direct_only:.3f}  "
          f"F1 {score.f1_direct_only:.3f}  (diagnostic, not the README metric: newsdesk direct quotes only, "
          f"{score.predicted_direct_only})")
    articles = load_quote_gold(args.gold)
    overlapping, exact, same_start, same_end = content_agreement(articles, [extract_quotes(a.text) for a in articles])
    print(f"partial content    {overlapping} partial quotes whose reported clause overlaps a gold partial quote: "
          f"same span {exact}, same start {same_start}, same end {same_end} (diagnostic)")
    indirect = evaluate_indirect(args.gold)
    print(f"indirect (stretch) P {indirect.precision:.3f}  R {indirect.recall:.3f}  F1 {indirect.f1:.3f}  speaker accuracy "
          f"{indirect.speaker_accuracy:.3f} ({indirect.speaker_correct}/{indirect.speaker_scored})  (extract_reported_speech "
          f"against gold indirect quotes: gold {indirect.gold}, predicted {indirect.predicted}, matched {indirect.matched}; "
          f"not the README metric)")
    print(f"speed              {articles_per_s:.0f} articles/s (best run {best_per_s:.0f}), {quotes_per_s:.0f} quotes/s "
          f"of CPU time ({count} quotes, median of {args.runs} runs, Python {platform.python_version()}, one core)")
    if args.details:
        wanted = set(args.only.split(","))
        for article_id, error in iter_errors(score):
            if error.kind in wanted:
                print(f"  {error.kind:8} {article_id[8:60]:52} {error.text[:90]!r} gold={error.gold_speaker!r} "
                      f"pred={error.predicted_speaker!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
