"""Offline commands: `newsdesk parse` and `newsdesk quotes`. No server, no network."""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path


def register(commands) -> None:
    parse = commands.add_parser("parse", help="parse saved pages offline; prints JSON Lines")
    parse.add_argument("paths", nargs="+", type=Path, help=".html/.html.gz files or directories of them")
    parse.add_argument("--url", help="the URL of the page (with a single file)")
    parse.add_argument("--urls", type=Path, help="JSON map of file name (without .gz) to URL")
    parse.set_defaults(handler=run_parse)

    quotes = commands.add_parser("quotes", help="find quotes in texts given as JSON Lines {id, text}")
    quotes.add_argument("file", type=Path, help="JSON Lines file, or - for standard input")
    quotes.set_defaults(handler=run_quotes)


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
