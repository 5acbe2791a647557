"""Fetching against a real local server that misbehaves on purpose: every ending has its outcome."""
from __future__ import annotations

import time
from dataclasses import replace

from tasks.fetch import BodyTooLarge, Validators, backoff_delay, fetch_url, parse_retry_after
from tasks.settings import Settings
from tests.local_server import (Conditional, Drip, Reset, Slow, fail_then, gzip_bomb, gzipped, html,
                                local_server, redirect, typed)

PAGE = b"<!doctype html><html><head><title>Hello</title></head><body><p>Hello</p></body></html>"
# Loopback allowed, no robots.txt wait, no politeness delay, quick retries: the tests' defaults.
# No cross-run host limit: these tests time one process's fetch step, and once the session's
# Prefect server is up its API calls would count in their timings (tests/test_host_limits.py
# covers the shared limit).
FAST = Settings(allow_private_hosts=True, per_host_delay_s=0.0, retry_delays_s=(0.05, 0.05, 0.05),
                connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0, host_concurrency_limits=False)


def test_ok_page_is_fetched_with_hash_user_agent_and_charset():
    settings = replace(FAST, user_agent="newsdesk-test/1 (+https://example.org/contact)")
    with local_server({"/a": html(PAGE)}) as server:
        result = fetch_url(server.base_url + "/a", settings)
    assert (result.outcome, result.http_status, result.content_type) == ("fetched", 200, "text/html")
    assert result.body == PAGE and len(result.content_hash) == 64 and result.attempts == 1
    assert (result.charset, result.declared_charset) == ("utf-8", "utf-8")
    assert set(server.user_agents) == {"newsdesk-test/1 (+https://example.org/contact)"}
    assert server.hits["/robots.txt"] == 1   # asked once, before the page


def test_429_with_retry_after_is_waited_for_then_succeeds():
    with local_server({"/busy": fail_then(1, 429, html(PAGE), retry_after="1")}) as server:
        started = time.monotonic()
        result = fetch_url(server.base_url + "/busy", FAST)
        took = time.monotonic() - started
    assert (result.outcome, result.attempts) == ("fetched", 2)
    assert took >= 1.0, "the Retry-After of 1 s must be honoured, not the 0.05 s backoff"


def test_500_then_200_is_retried_and_503_for_ever_gives_up_as_http_error():
    with local_server({"/flaky": fail_then(2, 500, html(PAGE)), "/down": fail_then(99, 503, html(PAGE))}) as server:
        flaky = fetch_url(server.base_url + "/flaky", FAST)
        down = fetch_url(server.base_url + "/down", FAST)
        down_hits = server.hits["/down"]
    assert (flaky.outcome, flaky.attempts, flaky.body) == ("fetched", 3, PAGE)
    assert len(flaky.retried) == 2 and all("HTTP 500" in line and "waited" in line for line in flaky.retried)
    assert (down.outcome, down.http_status, down.attempts) == ("http_error", 503, 4)
    assert down_hits == 4 and "gave up after 4 attempts" in down.error


def test_retry_after_beyond_the_cap_is_not_waited_for():
    settings = replace(FAST, max_retry_wait_s=2.0)
    with local_server({"/later": fail_then(99, 429, html(PAGE), retry_after="3600")}) as server:
        started = time.monotonic()
        result = fetch_url(server.base_url + "/later", settings)
    assert result.outcome == "http_error" and result.attempts == 1
    assert time.monotonic() - started < 1.0


def test_permanent_failures_are_recorded_once_never_retried():
    routes = {"/pdf": typed(b"%PDF-1.4", "application/pdf"), "/big": html(b"x" * 5000),
              "/gone": html(b"gone", status=410)}
    settings = replace(FAST, max_body_bytes=1000)
    with local_server(routes) as server:
        missing = fetch_url(server.base_url + "/missing", settings)
        gone = fetch_url(server.base_url + "/gone", settings)
        pdf = fetch_url(server.base_url + "/pdf", settings)
        big = fetch_url(server.base_url + "/big", settings)
        hits = dict(server.hits)
    assert (missing.outcome, missing.http_status, missing.error) == ("http_error", 404, "HTTP 404")
    assert (gone.outcome, gone.http_status) == ("http_error", 410)
    assert (pdf.outcome, pdf.error) == ("not_html", "content type application/pdf")
    assert big.outcome == "too_large" and big.body == b"" and "Content-Length 5000" in big.error
    assert hits["/missing"] == hits["/gone"] == hits["/pdf"] == hits["/big"] == 1


def test_a_body_without_length_is_cut_at_the_cap():
    from tests.local_server import Responder

    class Chunked(Responder):
        def respond(self, handler, n):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            for _ in range(50):
                handler.wfile.write(b"400\r\n" + b"x" * 1024 + b"\r\n")
            handler.wfile.write(b"0\r\n\r\n")

    with local_server({"/chunked": Chunked()}) as server:
        capped = fetch_url(server.base_url + "/chunked", replace(FAST, max_body_bytes=10_000))
        whole = fetch_url(server.base_url + "/chunked", FAST)
    assert capped.outcome == "too_large" and "decompressed" in capped.error
    assert whole.outcome == "fetched" and len(whole.body) == 50 * 1024


def test_gzip_is_decoded_and_a_gzip_bomb_stops_at_the_cap():
    settings = replace(FAST, max_body_bytes=100_000)
    with local_server({"/z": gzipped(PAGE), "/bomb": gzip_bomb(30_000_000)}) as server:
        plain = fetch_url(server.base_url + "/z", settings)
        bomb = fetch_url(server.base_url + "/bomb", settings)
    assert plain.outcome == "fetched" and plain.body == PAGE
    assert bomb.outcome == "too_large" and "decompressed" in bomb.error


def test_connection_reset_is_retried_and_a_dead_port_is_a_network_error():
    with local_server({"/reset": Reset(1, html(PAGE)), "/always": Reset(99, html(PAGE))}) as server:
        recovered = fetch_url(server.base_url + "/reset", FAST)
        broken = fetch_url(server.base_url + "/always", FAST)
    assert (recovered.outcome, recovered.attempts) == ("fetched", 2)
    assert (broken.outcome, broken.attempts, broken.http_status) == ("network_error", 4, None)
    dead = fetch_url(server.base_url + "/a", replace(FAST, fetch_retries=1))
    assert dead.outcome == "network_error" and "ConnectionError" in dead.error


def test_slow_responses_hit_the_read_timeout_and_drip_feeding_the_total_timeout():
    settings = replace(FAST, read_timeout_s=0.3, total_timeout_s=0.8, fetch_retries=0)
    with local_server({"/slow": Slow(1.0, html(PAGE)), "/drip": Drip(100, 0.05)}) as server:
        started = time.monotonic()
        slow = fetch_url(server.base_url + "/slow", settings)
        drip = fetch_url(server.base_url + "/drip", settings)
        took = time.monotonic() - started
    assert slow.outcome == "network_error" and "Timeout" in slow.error
    assert drip.outcome == "network_error" and "total timeout" in drip.error
    assert took < 3.0


def test_redirects_are_followed_recorded_and_loops_and_long_chains_stop():
    routes = {"/old": redirect("/mid", 301), "/mid": redirect("/new"), "/new": html(PAGE),
              "/loop1": redirect("/loop2"), "/loop2": redirect("/loop1"),
              **{f"/hop{i}": redirect(f"/hop{i + 1}") for i in range(10)}}
    with local_server(routes) as server:
        base = server.base_url
        moved = fetch_url(base + "/old", FAST)
        loop = fetch_url(base + "/loop1", FAST)
        chain = fetch_url(base + "/hop0", FAST)
    assert (moved.outcome, moved.url, moved.final_url) == ("fetched", base + "/old", base + "/new")
    assert moved.redirects == (base + "/old", base + "/mid")
    assert loop.outcome == "redirect_error" and "loop" in loop.error
    assert chain.outcome == "redirect_error" and "more than 5 redirects" in chain.error


def test_redirect_to_another_scheme_is_refused():
    with local_server({"/ftp": redirect("ftp://example.org/file")}) as server:
        result = fetch_url(server.base_url + "/ftp", FAST)
    assert result.outcome == "bad_url" and "scheme ftp" in result.error


def test_lying_charset_header_keeps_the_bytes_and_records_the_real_charset():
    latin = "<html><body><p>Ça coûte très cher à Zürich</p></body></html>".encode("windows-1252")
    utf8 = "<html><body><p>Ça coûte très cher à Zürich</p></body></html>".encode("utf-8")
    routes = {"/says-utf8": typed(latin, "text/html; charset=utf-8"),
              "/says-latin1": typed(utf8, "text/html; charset=iso-8859-1")}
    with local_server(routes) as server:
        lied_utf8 = fetch_url(server.base_url + "/says-utf8", FAST)
        lied_latin = fetch_url(server.base_url + "/says-latin1", FAST)
    assert lied_utf8.body == latin and lied_utf8.declared_charset == "utf-8"
    assert lied_utf8.body.decode(lied_utf8.charset) == latin.decode("windows-1252")
    assert lied_latin.body == utf8 and lied_latin.charset == "utf-8"


def test_missing_content_type_is_sniffed():
    routes = {"/untyped-html": lambda n: (200, {}, PAGE), "/untyped-bin": lambda n: (200, {}, b"\x89PNG\r\n\x1a\n")}
    with local_server(routes) as server:
        page = fetch_url(server.base_url + "/untyped-html", FAST)
        binary = fetch_url(server.base_url + "/untyped-bin", FAST)
    assert page.outcome == "fetched" and binary.outcome == "not_html"


def test_etag_and_last_modified_give_not_modified():
    route = Conditional(PAGE, '"v1"', "Tue, 07 Dec 2021 21:11:00 GMT")
    with local_server({"/c": route}) as server:
        first = fetch_url(server.base_url + "/c", FAST)
        by_etag = fetch_url(server.base_url + "/c", FAST, validators=first.validators())
        by_date = fetch_url(server.base_url + "/c", FAST, validators=Validators(last_modified=first.last_modified))
        stale = fetch_url(server.base_url + "/c", FAST, validators=Validators(etag='"v0"'))
    assert (first.outcome, first.etag, first.last_modified) == ("fetched", '"v1"', "Tue, 07 Dec 2021 21:11:00 GMT")
    assert (by_etag.outcome, by_etag.http_status, by_etag.body) == ("not_modified", 304, b"")
    assert by_date.outcome == "not_modified" and stale.outcome == "fetched"


def test_a_name_that_does_not_exist_is_not_retried():
    started = time.monotonic()
    result = fetch_url("http://no-such-host.invalid/story", replace(FAST, retry_delays_s=(1.0,)))
    assert (result.outcome, result.attempts) == ("network_error", 1) and "does not resolve" in result.error
    assert time.monotonic() - started < 1.0


def test_other_schemes_are_refused_without_a_request():
    assert fetch_url("file:///etc/passwd", FAST).outcome == "bad_url"
    assert fetch_url("gopher://example.org/", FAST).outcome == "bad_url"


def test_retry_after_parses_seconds_and_dates():
    from datetime import datetime, timezone
    now = datetime(2021, 12, 7, 21, 11, tzinfo=timezone.utc)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Tue, 07 Dec 2021 21:12:00 GMT", now=now) == 60.0
    assert parse_retry_after("1.5") == 1.5 and parse_retry_after("-3") == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_backoff_grows_with_jitter_and_never_undercuts_retry_after():
    import random
    rng = random.Random(1)
    delays = [backoff_delay(a, None, (1.0, 4.0, 10.0), rng) for a in (1, 2, 3, 4)]
    assert 0.5 <= delays[0] <= 1.0 and 2.0 <= delays[1] <= 4.0 and 5.0 <= delays[2] <= 10.0
    assert 5.0 <= delays[3] <= 10.0
    assert backoff_delay(1, 30.0, (1.0,), rng) == 30.0


def test_body_too_large_keeps_its_head_for_robots():
    assert BodyTooLarge("x", b"abc").head == b"abc"


def test_contact_url_goes_into_the_user_agent_and_robots_matches_the_product():
    settings = replace(FAST, contact_url="https://newsroom.example/crawler")
    robots_txt = b"User-agent: newsdesk\nDisallow: /desk-only\n"
    with local_server({"/robots.txt": typed(robots_txt, "text/plain"), "/a": html(PAGE)}) as server:
        allowed = fetch_url(server.base_url + "/a", settings)
        refused = fetch_url(server.base_url + "/desk-only", settings)
        agents = set(server.user_agents)
    assert agents == {"newsdesk/0.1 (+https://newsroom.example/crawler)"}
    assert (allowed.outcome, refused.outcome) == ("fetched", "robots_disallowed")


def test_credentials_in_urls_never_reach_error_texts_or_the_chain():
    secret = "s3cretPassw0rd"
    routes = {"/loop-a": redirect("/loop-b"), "/loop-b": redirect("/loop-a"), "/down": fail_then(99, 503, html(PAGE))}
    with local_server(routes) as server:
        base = server.base_url.replace("http://", f"http://editor:{secret}@")
        loop = fetch_url(base + "/loop-a", FAST)
        down = fetch_url(base + "/down", replace(FAST, fetch_retries=1))
    assert loop.outcome == "redirect_error" and down.outcome == "http_error"
    texts = [loop.error, down.error, *loop.redirects, *down.retried, loop.final_url or ""]
    assert texts and not [text for text in texts if secret in text]
