"""The `newsdesk` command line. Each subcommand is a thin shell over the same functions the flows use."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from flows import cli_eval, cli_offline, cli_warehouse
from tasks.settings import Settings

# Each module adds its own subcommands, so that command groups grow without touching this file.
COMMAND_MODULES = (cli_offline, cli_warehouse, cli_eval)

EXAMPLES_SITE = Path(__file__).resolve().parent.parent / "examples" / "site"


def main(argv: list[str] | None = None) -> int:
    # Prefect's ephemeral server would report usage to a remote host; newsdesk does not phone home.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # trafilatura warns about every page it finds no text in; the run summary reports those.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
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
    ingest.add_argument("--sitemap", action="append", default=[], help="a sitemap or sitemap index URL (repeatable)")
    ingest.add_argument("--site", action="append", default=[],
                        help="a site (any URL on it): the sitemaps its robots.txt lists, else its /sitemap.xml (repeatable)")
    ingest.add_argument("--since", type=parse_instant, help="skip sitemap entries modified before this ISO date")
    ingest.add_argument("--refresh", action="store_true",
                        help="fetch URLs already loaded again (conditionally); by default they are skipped")
    ingest.add_argument("--db", type=Path, help=f"DuckDB file (default $NEWSDESK_DB or {Settings().db_path})")
    ingest.add_argument("--dask", action="store_true",
                        help="run the tasks on a local Dask cluster (needs PREFECT_API_URL: a Prefect server)")
    ingest.add_argument("--dask-address", metavar="ADDRESS", help="run the tasks on this Dask scheduler (tcp://host:8786)")
    ingest.add_argument("--allow-private-hosts", action="store_true",
                        help="fetch from loopback and private addresses too (refused by default)")
    ingest.set_defaults(handler=run_ingest)

    backfill = commands.add_parser("backfill", help="load article pages out of WARC/WARC.gz files (no network)")
    backfill.add_argument("warcs", nargs="+", type=Path, help="WARC or WARC.gz files")
    backfill.add_argument("--host", action="append", default=[], help="keep only this host and its subdomains (repeatable)")
    backfill.add_argument("--since", type=parse_instant, help="capture date from (ISO date, inclusive)")
    backfill.add_argument("--until", type=parse_instant, help="capture date until (ISO date, exclusive)")
    backfill.add_argument("--db", type=Path, help="DuckDB file (default as for ingest)")
    backfill.set_defaults(handler=run_backfill)

    reprocess = commands.add_parser("reprocess", help="parse the raw archive again (no network) and reload")
    reprocess.add_argument("--db", type=Path, help="DuckDB file (default as for ingest)")
    reprocess.add_argument("--all", dest="everything", action="store_true",
                           help="every article, not only those an older extractor version produced")
    reprocess.set_defaults(handler=run_reprocess)

    demo = commands.add_parser("demo", help="serve the bundled example site on 127.0.0.1 and ingest it")
    demo.add_argument("--db", type=Path, default=Path("newsdesk-demo.duckdb"))
    demo.add_argument("--site", type=Path, default=EXAMPLES_SITE)
    demo.set_defaults(handler=run_demo)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def run_ingest(args: argparse.Namespace) -> int:
    from flows.ingest import ingest
    from flows.report import print_summary

    if not (args.urls or args.urls_file or args.feed or args.sitemap or args.site):
        print("newsdesk ingest: give URLs, --urls-file, --feed, --sitemap or --site", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    flow = ingest
    if args.dask or args.dask_address:
        if not os.environ.get("PREFECT_API_URL"):
            # Without a server every Dask worker would start an ephemeral API server of its own.
            print("newsdesk ingest --dask: set PREFECT_API_URL to a running Prefect server", file=sys.stderr)
            return 2
        from flows.runners import dask_runner

        flow = ingest.with_options(task_runner=dask_runner(args.dask_address))
    # Files are passed by path: Prefect refuses flow parameters over 512 KB (about 7k URLs).
    summary = flow(urls=list(args.urls), urls_files=[str(p) for p in args.urls_file], feeds=args.feed, sitemaps=args.sitemap, sites=args.site, since=args.since, refresh=args.refresh, db_path=str(args.db or settings.db_path),
                     allow_private_hosts=args.allow_private_hosts, settings=settings)
    print_summary(summary)
    return 0


def run_backfill(args: argparse.Namespace) -> int:
    from flows.backfill import backfill
    from flows.report import print_summary

    settings = Settings.from_env()
    print_summary(backfill([str(p) for p in args.warcs], hosts=args.host or None, since=args.since,
                           until=args.until, db_path=str(args.db or settings.db_path), settings=settings))
    return 0


def parse_instant(value: str) -> datetime:
    """An ISO date or date-time; without an offset it is taken as UTC."""
    instant = datetime.fromisoformat(value)
    return instant if instant.tzinfo else instant.replace(tzinfo=timezone.utc)


def run_reprocess(args: argparse.Namespace) -> int:
    from flows.report import print_summary
    from flows.reprocess import reprocess

    settings = Settings.from_env()
    print_summary(reprocess(db_path=str(args.db or settings.db_path), everything=args.everything, settings=settings))
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from flows.demo import run_demo as demo

    return demo(args.site, args.db)


if __name__ == "__main__":
    sys.exit(main())
