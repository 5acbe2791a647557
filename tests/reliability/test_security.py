"""Security through the ingest flow: SSRF refused and recorded, body and decompression caps,
no secrets in logs or the fetches table. (The static SQL check is test_sql_assembly.py.)"""
from __future__ import annotations

import gzip
import zlib
from dataclasses import replace

import pytest

from flows.ingest import ingest
from tasks.settings import Settings
from tests.reliability.checks import path_of, rows
from tests.reliability.cli import harness_api_url, newsdesk_env, run_newsdesk
from tests.reliability.faultsite import fixed, redirect_to, serve_fault_site
from tests.reliability.newsroom import render, site_pages

# Quick retries only: everything else is the default, private hosts refused.
DEFAULTS = Settings(retry_delays_s=(0.05, 0.05, 0.05))


def outcomes_by_path(db) -> dict[str, tuple[str, str]]:
    return {path_of(url) or url: (outcome, error) for url, outcome, error in
            rows(db, "SELECT url, outcome, error FROM fetches")}


def test_private_addresses_and_other_schemes_are_refused_by_default(prefect_harness, tmp_path):
    db = tmp_path / "ssrf.duckdb"
    with serve_fault_site(site_pages(1, 1)) as inside:
        port = inside.server_address[1]
        blocked = [f"http://127.0.0.1:{port}/news/a", f"http://localhost:{port}/news/b",
                   f"http://[::1]:{port}/news/c", f"http://0.0.0.0:{port}/news/d",
                   f"http://2130706433:{port}/news/e", f"http://0x7f.0.0.1:{port}/news/f",
                   f"http://127.1:{port}/news/g", f"http://[::ffff:127.0.0.1]:{port}/news/h",
                   "http://10.1.2.3/news/i", "http://172.16.5.4/news/j", "http://192.168.1.1/news/k",
                   "http://169.254.169.254/latest/meta-data/", "http://169.254.1.1/news/l",
                   "http://100.100.100.200/latest/meta-data/", "http://[fd00:ec2::254]/latest/meta-data/",
                   "http://100.64.0.1/news/m"]
        bad = ["file:///etc/passwd", f"ftp://127.0.0.1:{port}/news/n", f"gopher://127.0.0.1:{port}/_GET",
               "javascript:alert(1)"]
        summary = ingest(urls=blocked + bad, db_path=str(db), settings=replace(DEFAULTS, db_path=db))
    assert inside.served == []   # not one request reached the loopback server
    assert sum(summary.counts().values()) == len(blocked + bad)
    assert set(summary.counts()) <= {"blocked", "bad_url"}
    got = rows(db, "SELECT url, outcome, error FROM fetches")
    assert len(got) == len(blocked + bad)
    for url, outcome, error in got:
        expected = "bad_url" if url.split(":", 1)[0] in ("file", "ftp", "gopher", "javascript") else "blocked"
        assert (url, outcome) == (url, expected) and error
    assert rows(db, "SELECT count(*) FROM articles") == [(0,)]


def test_redirects_into_private_addresses_are_refused(prefect_harness, tmp_path):
    db = tmp_path / "redirects.duckdb"
    with serve_fault_site(site_pages(2, 1), host="127.0.0.2") as target:
        t = target.server_address[1]
        routes = {
            "/to-loopback": redirect_to(f"http://127.0.0.2:{t}/news/secret"),
            "/to-decimal-loopback": redirect_to(f"http://2130706434:{t}/news/secret"),
            "/to-ipv6-loopback": redirect_to(f"http://[::1]:{t}/news/secret"),
            "/to-metadata": redirect_to("http://169.254.169.254/latest/meta-data/iam/"),
            "/to-private": redirect_to("http://10.0.0.7/admin"),
            "/to-file": redirect_to("file:///etc/passwd"),
            "/to-gopher": redirect_to(f"gopher://127.0.0.2:{t}/_x"),
            "/hop-1": redirect_to("/hop-2"),
            "/hop-2": redirect_to(f"http://127.0.0.2:{t}/news/secret"),
        }
        articles = site_pages(3, 1)
        # The entry server is allowed as one address; everything else private stays refused.
        settings = replace(DEFAULTS, db_path=db, allowed_private_networks=("127.0.0.1/32",), per_host_delay_s=0.0)
        with serve_fault_site(articles, extra_routes=routes) as entry:
            urls = [entry.url(path) for path in routes] + [entry.url(articles[0].path)]
            summary = ingest(urls=urls, db_path=str(db), settings=settings)
    assert target.served == []
    got = outcomes_by_path(db)
    assert got.pop(articles[0].path)[0] == "fetched"          # the allowed server works
    assert {path: outcome for path, (outcome, _) in got.items()} == {
        path: ("bad_url" if path in ("/to-file", "/to-gopher") else "blocked") for path in routes}
    assert summary.counts() == {"loaded": 1, "blocked": 7, "bad_url": 2}


def test_body_and_decompression_caps(prefect_harness, tmp_path):
    db = tmp_path / "caps.duckdb"
    cap = 200_000
    page = render(site_pages(4, 1)[0], "http://127.0.0.1", 0)
    padded = page.replace(b"</body>", b"<!--" + b"x" * 2 * cap + b"--></body>")
    bomb = gzip.compress(b"<html>" + b"\0" * 50_000_000, compresslevel=9)
    deflate_bomb = zlib.compress(b" " * 50_000_000, 9)
    html = {"Content-Type": "text/html; charset=utf-8"}
    routes = {
        "/big": fixed(200, html, padded),
        "/gzip-bomb": fixed(200, {**html, "Content-Encoding": "gzip"}, bomb),
        "/deflate-bomb": fixed(200, {**html, "Content-Encoding": "deflate"}, deflate_bomb),
        "/small-gzip": fixed(200, {**html, "Content-Encoding": "gzip"}, gzip.compress(page)),
    }
    assert len(bomb) < cap and len(deflate_bomb) < cap
    settings = replace(DEFAULTS, db_path=db, allow_private_hosts=True, max_body_bytes=cap, per_host_delay_s=0.0)
    with serve_fault_site([], extra_routes=routes) as server:
        summary = ingest(urls=[server.url(p) for p in routes], db_path=str(db), settings=settings)
    got = {path_of(url): (outcome, size) for url, outcome, size in rows(db, "SELECT url, outcome, bytes FROM fetches")}
    assert got == {"/big": ("too_large", None), "/gzip-bomb": ("too_large", None),
                   "/deflate-bomb": ("too_large", None), "/small-gzip": ("fetched", len(page))}
    assert summary.counts() == {"too_large": 3, "loaded": 1}


SECRET_PASSWORD, SECRET_COOKIE = "s3cretPassw0rd", "C00kieSessi0nValue"


@pytest.fixture(scope="module")
def secrets_run(prefect_harness, tmp_path_factory):
    """One `newsdesk ingest` of URLs carrying user:password@, from a server that sets a cookie;
    every failing kind that writes an error text: 5xx given up on, 404, a redirect loop.
    Returns every text a secret could leak into: the command's output, the error columns."""
    tmp = tmp_path_factory.mktemp("secrets")
    db = tmp / "secrets.duckdb"
    articles = site_pages(5, 1)
    cookie = {"Set-Cookie": f"session={SECRET_COOKIE}; Path=/; HttpOnly", "Content-Type": "text/html"}
    routes = {"/fails": fixed(500, cookie, b"<h1>error</h1>"), "/missing": fixed(404, cookie, b"gone"),
              "/loop-a": redirect_to("/loop-b"), "/loop-b": redirect_to("/loop-a"),
              "/cookie-page": fixed(200, {**cookie, "Content-Type": "text/html; charset=utf-8"},
                                   render(articles[0], "http://127.0.0.1", 1))}
    with serve_fault_site(articles, extra_routes=routes) as server:
        with_secret = [server.url(p).replace("http://", f"http://editor:{SECRET_PASSWORD}@") for p in routes]
        log = tmp / "newsdesk.log"
        code = run_newsdesk(["ingest", *with_secret, "--db", str(db), "--allow-private-hosts"],
                            newsdesk_env(api_url=harness_api_url()), log, timeout_s=300)
    output = log.read_text(errors="replace")
    assert code == 0, output[-3000:]
    assert len(server.served) >= len(routes)        # the requests were made
    texts = {"output": output}
    texts |= {f"fetches.error {url}": error for url, error in rows(db, "SELECT url, error FROM fetches") if error}
    texts |= {f"parses.error {url}": error for url, error in rows(db, "SELECT url, error FROM parses") if error}
    return texts


def leaking(texts: dict[str, str], secret: str) -> list[str]:
    # Case-blind: URL canonicalization lower-cases the host part, user info included.
    return [where for where, text in texts.items() if secret.lower() in text.lower()]


def test_no_cookies_in_logs_or_fetches(secrets_run):
    assert leaking(secrets_run, SECRET_COOKIE) == []


def test_no_credentials_in_logs_or_fetches(secrets_run):
    assert leaking(secrets_run, SECRET_PASSWORD) == []
