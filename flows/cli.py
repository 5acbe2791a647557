"""The `newsdesk` command line. Each subcommand is a thin shell over the same functions the flows use."""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from tasks.settings import Settings

EXAMPLES_SITE = Path(__file__).resolve().parent.parent / "examples" / "site"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.handler(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description="News ingestion into DuckDB.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="fetch, parse and load URLs and feeds (no server needed)")
    ingest.add_argument("urls", nargs="*", help="article URLs")
    ingest.add_argument("--urls-file", type=Path, action="append", default=[], help="a file of URLs, one a line")
    ingest.add_argument("--feed", action="append", default=[], help="an RSS/Atom feed URL (repeatable)")
    ingest.add_argument("--db", type=Path, help=f"DuckDB file (default $NEWSDESK_DB or {Settings().db_path})")
    ingest.set_defaults(handler=run_ingest)

    parse = commands.add_parser("parse", help="parse saved pages offline; prints JSON Lines")
    parse.add_argument("paths", nargs="+", type=Path, help=".html/.html.gz files or directories of them")
    parse.add_argument("--url", help="the URL of the page (with a single file)")
    parse.add_argument("--urls", type=Path, help="JSON map of file name (without .gz) to URL")
    parse.set_defaults(handler=run_parse)

    quotes = commands.add_parser("quotes", help="find quotes in texts given as JSON Lines {id, text}")
    quotes.add_argument("file", type=Path, help="JSON Lines file, or - for standard input")
    quotes.set_defaults(handler=run_quotes)

    demo = commands.add_parser("demo", help="serve the bundled example site on 127.0.0.1 and ingest it")
    demo.add_argument("--db", type=Path, default=Path("newsdesk-demo.duckdb"))
    demo.add_argument("--site", type=Path, default=EXAMPLES_SITE)
    demo.set_defaults(handler=run_demo)
    return parser


def run_ingest(args: argparse.Namespace) -> int:
    from flows.ingest import ingest
    from flows.report import print_summary

    urls = list(args.urls)
    for path in args.urls_file:
        from tasks.discover import read_url_file
        urls += read_url_file(path)
    if not urls and not args.feed:
        print("newsdesk ingest: give URLs, --urls-file or --feed", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    summary = ingest(urls=urls, feeds=args.feed, db_path=str(args.db or settings.db_path))
    print_summary(summary)
    return 0


def iter_page_files(paths: list[Path]) -> Iterator[Path]:
    """Files in the order given; a directory's .html and .html.gz files in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.name.endswith((".html", ".htm", ".html.gz", ".htm.gz")))
        else:
            yield path


def read_page(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def run_parse(args: argparse.Namespace) -> int:
    from tasks.parse import page_record, parse_html

    url_map = json.loads(args.urls.read_text(encoding="utf-8")) if args.urls else {}
    for path in iter_page_files(args.paths):
        url = url_map.get(path.name.removesuffix(".gz"), args.url)
        try:
            body = read_page(path)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            record = {"url": url, "status": "read_error", "error": f"{type(error).__name__}: {error}"}
        else:
            record = page_record(parse_html(body, url))
        print(json.dumps({"file": str(path), **record}, ensure_ascii=False), flush=True)
    return 0


def run_quotes(args: argparse.Namespace) -> int:
    from tasks.parse import quote_record
    from tasks.quotes import extract_quotes

    stream = sys.stdin if str(args.file) == "-" else args.file.open(encoding="utf-8")
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text, item_id = item["text"], item.get("id")
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                print(json.dumps({"id": None, "line": number, "status": "bad_input", "error": str(error)}))
                continue
            quotes = [quote_record(q) for q in extract_quotes(text)]
            print(json.dumps({"id": item_id, "quotes": quotes}, ensure_ascii=False), flush=True)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from flows.demo import run_demo as demo

    return demo(args.site, args.db)


if __name__ == "__main__":
    sys.exit(main())
