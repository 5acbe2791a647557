"""Warehouse load benchmark: staged batches -> DuckDB, on realistic synthetic articles.

    .venv/bin/python bench/load.py [--articles 10000 100000] [--batch 200] [--query-runs 5] [--keep DIR]

Each article has ~600 words in 8 paragraphs, 3 quotes (offsets into the text), 2 authors and 4
tags, spread over 40 sources and 90 days; speakers, authors and tags are drawn from pools with a
long tail, so the dimension tables grow as they would. Every batch goes the way the flow's do:
written as a staged Parquet file (tasks/stage.py), then loaded in one transaction by a writer
that opens the DuckDB file for the batch and closes it (tasks/load.py), then the file is removed.

Reported per size: articles/s and quote rows/s (staging + load, the whole step; and the load
alone), the DuckDB file size per article, and at the largest size the median time of every
query of the README section "SQL over the DuckDB file" on a read-only connection.
Text generation is not timed.
"""
from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

from tasks.load import load_staged  # noqa: E402
from tasks.settings import Settings  # noqa: E402
from tasks.stage import stage_dir_of, staged_name, write_staged_batch  # noqa: E402
from warehouse.batch import article_batch  # noqa: E402
from warehouse.rows import ArticleRow, QuoteRow  # noqa: E402

README = Path(__file__).resolve().parents[1] / "README.md"
SYLLABLES = ["ka", "lo", "mer", "tin", "sa", "ve", "ro", "an", "dis", "pol", "ri", "con", "ta", "ber", "um",
             "ex", "pre", "li", "no", "gra", "tor", "el", "mi", "sun", "da", "ques", "fi", "ho", "par", "ne"]
KINDS = ["keyword", "category", "country", "topic"]


class Corpus:
    """Pools of words, sentences and names; deterministic for a seed."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        rng = self.rng
        words = sorted({"".join(rng.choices(SYLLABLES, k=rng.choice((1, 2, 2, 3, 3, 4)))) for _ in range(30000)})
        weights = itertools.accumulate(1 / (rank + 1) for rank in range(len(words)))  # Zipf-like, as in text
        cumulative = list(weights)
        self.sentences = [self._sentence(words, cumulative) for _ in range(60000)]
        self.people = [self._name() for _ in range(4000)]
        self.tags = [(rng.choice(KINDS), self._name()) for _ in range(3000)]
        self.sources = [f"www.{self._word(words)}-news{i}.example" for i in range(40)]
        self.start = datetime(2024, 1, 1, tzinfo=timezone.utc)

    def _word(self, words: list[str]) -> str:
        return self.rng.choice(words)

    def _sentence(self, words: list[str], cumulative: list[float]) -> str:
        picked = self.rng.choices(words, cum_weights=cumulative, k=self.rng.randint(10, 22))
        return " ".join(picked).capitalize() + "."

    def _name(self) -> str:
        return " ".join("".join(self.rng.choices(SYLLABLES, k=2)).capitalize() for _ in range(2))

    def _tail(self, pool: list):
        # Most picks from a popular head, some from the whole pool.
        return self.rng.choice(pool[:200]) if self.rng.random() < 0.6 else self.rng.choice(pool)

    def article(self, number: int) -> ArticleRow:
        rng = self.rng
        paragraphs = [" ".join(rng.choices(self.sentences, k=rng.randint(3, 6))) for _ in range(8)]
        quotes, text = self._quotes(paragraphs)
        source = self.sources[number % len(self.sources)]
        published = self.start + timedelta(minutes=rng.randrange(90 * 24 * 60))
        url = f"https://{source}/news/{number}-{rng.randrange(10**9)}.html"
        return ArticleRow(
            url=url, canonical_url=url, title=rng.choice(self.sentences)[:90], description=rng.choice(self.sentences),
            site_name=source.split(".")[1], language="en", text=text,
            published_iso=published.isoformat(), published_raw=published.strftime("%d %b %Y %H:%M"),
            published_source="jsonld", updated_iso=None, updated_raw=None, updated_source=None,
            agency=rng.choice([None, None, "Reuters", "AP"]), dateline=rng.choice([None, "London", "Paris"]),
            image=f"https://{source}/img/{number}.jpg", content_hash=f"{rng.getrandbits(128):032x}",
            extractor_version="bench-1", authors=(self._tail(self.people), self._tail(self.people)),
            tags=tuple(self._tail(self.tags) for _ in range(4)), quotes=tuple(quotes))

    def _quotes(self, paragraphs: list[str]) -> tuple[list[QuoteRow], str]:
        quotes, offset, rng = [], 0, self.rng
        with_quotes = set(rng.sample(range(len(paragraphs)), 3))
        out = []
        for index, paragraph in enumerate(paragraphs):
            if index in with_quotes:
                said = " ".join(rng.choices(self.sentences, k=2))
                speaker = self._tail(self.people)
                paragraph = f"\u201c{said}\u201d said {speaker}. {paragraph}"
                quotes.append(QuoteRow(said, "direct", "said", speaker, speaker, rng.choice([None, "minister"]),
                                       offset + 1, offset + 1 + len(said), index, 0.9))
            out.append(paragraph)
            offset += len(paragraph) + 1
        return quotes, "\n".join(out)


def bench_size(count: int, batch: int, workdir: Path, corpus: Corpus) -> dict:
    settings = Settings(db_path=workdir / f"bench-{count}.duckdb")
    stage_dir = stage_dir_of(settings)
    stage_s = load_s = 0.0
    quotes = words = 0
    cpu_s = 0.0
    for start in range(0, count, batch):
        rows = [corpus.article(n) for n in range(start, min(start + batch, count))]
        quotes += sum(len(r.quotes) for r in rows)
        words += sum(len(r.text.split()) for r in rows)
        c0, t0 = time.process_time(), time.perf_counter()
        records = article_batch(rows, f"bench-{count}", datetime.now(timezone.utc))
        path = write_staged_batch(records, stage_dir, staged_name("bench", [r.url for r in rows]))
        t1 = time.perf_counter()
        load_staged(path, settings)
        t2 = time.perf_counter()
        stage_s, load_s = stage_s + t1 - t0, load_s + t2 - t1
        cpu_s += time.process_time() - c0
    size = settings.db_path.stat().st_size
    return {"articles": count, "quotes": quotes, "words_per_article": words / count, "stage_s": stage_s,
            "load_s": load_s, "cpu_s": cpu_s, "bytes_per_article": size / count, "file_mb": size / 1e6, "db": settings.db_path}


def readme_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("**SQL over the DuckDB file.**"):]
    section = section[:section.index("\n## ")]
    blocks = [block.split("```", 1)[0] for block in section.split("```sql\n")[1:]]
    return [statement.query for block in blocks for statement in duckdb.extract_statements(block)]


def time_queries(db: Path, runs: int) -> list[tuple[str, float, int]]:
    con = duckdb.connect(str(db), read_only=True)
    results = []
    try:
        for sql in readme_queries():
            times, rows = [], 0
            for _ in range(runs):
                t0 = time.perf_counter()
                rows = len(con.execute(sql).fetchall())
                times.append(time.perf_counter() - t0)
            shown = " ".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
            results.append((" ".join(shown.split()), statistics.median(times), rows))
    finally:
        con.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--batch", type=int, default=200, help="articles per staged batch (the flow's parse batch)")
    parser.add_argument("--query-runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the DuckDB files here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        corpus = Corpus()
        print(f"corpus pools built in {time.perf_counter() - t0:.1f} s; batches of {args.batch}")
        print("articles  quotes   words/art  stage+load art/s  quotes/s  load-only art/s  quotes/s  "
              "CPU s  wall s  bytes/article  file MB")
        last = None
        for count in args.articles:
            r = bench_size(count, args.batch, workdir, corpus)
            total = r["stage_s"] + r["load_s"]
            print(f"{r['articles']:>8}  {r['quotes']:>6}  {r['words_per_article']:>9.0f}  "
                  f"{r['articles'] / total:>16.0f}  {r['quotes'] / total:>8.0f}  "
                  f"{r['articles'] / r['load_s']:>15.0f}  {r['quotes'] / r['load_s']:>8.0f}  "
                  f"{r['cpu_s']:>5.1f}  {total:>6.1f}  "
                  f"{r['bytes_per_article']:>13.0f}  {r['file_mb']:>7.1f}")
            last = r
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall-clock figures depend on it)")
        print(f"\nREADME queries on {last['articles']} articles, median of {args.query_runs} runs (read-only):")
        for sql, median, rows in time_queries(last["db"], args.query_runs):
            print(f"{median * 1000:>9.1f} ms  {rows:>6} rows  {sql[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
