"""Politeness observed by the server itself: robots.txt, crawl-delay, per-host and global limits."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from tasks.fetch import fetch_url, robots_rules
from tasks.politeness import HostRegistry
from tasks.robots import agent_token, parse_robots, rules_for_status
from tasks.settings import Settings
from tests.local_server import fail_then, html, local_server, max_overlap, starts, typed

PAGE = b"<!doctype html><html><body><p>Polite</p></body></html>"
FAST = Settings(allow_private_hosts=True, per_host_delay_s=0.0, retry_delays_s=(0.05, 0.05, 0.05),
                connect_timeout_s=1.0, read_timeout_s=2.0, total_timeout_s=5.0)
ROBOTS = b"""User-agent: *
Disallow: /private
Crawl-delay: 0.25

User-agent: otherbot
Disallow: /

Sitemap: http://news.example/sitemap.xml
"""


def robots_route(body: bytes):
    return typed(body, "text/plain")


def fetch_all(urls, settings, workers=8):
    """The flow's thread pool, in small: one fetch per URL on `workers` threads."""
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda url: fetch_url(url, settings), urls))


def assert_spaced(times: list[float], delay: float) -> None:
    """Starts `delay` apart as the server saw them. On a loaded machine a request can reach the
    server thread 100+ ms late, which lengthens one gap and shortens the next by as much, so a
    single gap is only held to a share of the delay (without spacing the gaps would be ~1 ms);
    that jitter does not add up, so the whole span must hold the full delays."""
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.4 * delay, gaps
    assert times[-1] - times[0] >= (len(times) - 1) * delay - 0.03, gaps


def test_robots_disallow_is_obeyed_and_robots_is_asked_once():
    routes = {"/robots.txt": robots_route(ROBOTS), "/private/a": html(PAGE), "/public": html(PAGE)}
    with local_server(routes) as server:
        base = server.base_url
        results = fetch_all([base + "/private/a", base + "/public", base + "/private/b"], FAST)
        hits = dict(server.hits)
    assert [r.outcome for r in results] == ["robots_disallowed", "fetched", "robots_disallowed"]
    assert "robots.txt" in results[0].error
    assert hits.get("/private/a", 0) == 0 and hits["/robots.txt"] == 1


def test_robots_groups_match_our_product_token():
    rules = parse_robots(b"User-agent: newsdesk\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "http://x/robots.txt")
    assert agent_token("newsdesk/0.1 (+https://example.org)") == "newsdesk"
    assert not rules.allows("http://x/a", "newsdesk") and rules.allows("http://x/a", "otherbot")


def test_robots_status_rules_follow_the_rfc():
    assert rules_for_status(404, "s").allows("http://x/a", "newsdesk")
    assert rules_for_status(403, "s").allows("http://x/a", "newsdesk")
    assert not rules_for_status(503, "s").allows("http://x/a", "newsdesk")
    assert not rules_for_status(429, "s").allows("http://x/a", "newsdesk")


def test_robots_is_retried_like_a_page_before_the_site_counts_as_unreachable():
    routes = {"/robots.txt": fail_then(1, 503, robots_route(b"User-agent: *\nDisallow: /no\n")), "/a": html(PAGE)}
    with local_server(routes) as server:
        result = fetch_url(server.base_url + "/a", FAST)
        robots_hits = server.hits["/robots.txt"]
    assert result.outcome == "fetched" and robots_hits == 2


def test_unreachable_robots_disallows_everything_with_the_reason():
    routes = {"/robots.txt": fail_then(99, 503, html(b"down")), "/a": html(PAGE)}
    with local_server(routes) as server:
        result = fetch_url(server.base_url + "/a", replace(FAST, fetch_retries=0))
        page_hits = server.hits["/a"]
    assert result.outcome == "robots_disallowed" and "503" in result.error and page_hits == 0


def test_robots_hints_sitemaps_and_crawl_delay():
    # A registry of its own: the process's registry keeps robots.txt per host and port for an hour,
    # and an earlier test's server may have had this port (seen once in a full run).
    registry = HostRegistry(FAST.fetch_workers, FAST.per_host_concurrency)
    with local_server({"/robots.txt": robots_route(ROBOTS)}) as server:
        rules = robots_rules(server.base_url + "/x", FAST, registry)
    assert rules.sitemaps() == ("http://news.example/sitemap.xml",)
    assert rules.crawl_delay("newsdesk") == 0.25


def test_crawl_delay_spaces_request_starts_across_threads():
    routes = {"/robots.txt": robots_route(ROBOTS), **{f"/p{i}": html(PAGE) for i in range(5)}}
    with local_server(routes) as server:
        results = fetch_all([f"{server.base_url}/p{i}" for i in range(5)], FAST)
        times = starts(server)
    assert {r.outcome for r in results} == {"fetched"}
    assert len(times) == 6
    assert_spaced(times, 0.25)


def test_per_host_delay_holds_across_threads():
    settings = replace(FAST, per_host_delay_s=0.15)
    with local_server({f"/p{i}": html(PAGE) for i in range(6)}) as server:
        fetch_all([f"{server.base_url}/p{i}" for i in range(6)], settings)
        times = starts(server)
        robots_at = starts(server, "/robots.txt")
    # robots.txt is asked first and once; the pages do not wait the delay after it (tasks/fetch.py
    # _fetch_robots_once), but each other.
    assert len(robots_at) == 1 and robots_at[0] == times[0]
    assert_spaced(times[1:], 0.15)


def test_per_host_concurrency_holds_and_is_used():
    settings = replace(FAST, per_host_concurrency=2, fetch_workers=8)
    with local_server({f"/p{i}": html(PAGE) for i in range(8)}, latency_s=0.15) as server:
        results = fetch_all([f"{server.base_url}/p{i}" for i in range(8)], settings)
        peak = server.max_active
    assert {r.outcome for r in results} == {"fetched"}
    assert peak == 2


def test_global_concurrency_holds_across_hosts():
    settings = replace(FAST, per_host_concurrency=2, fetch_workers=3)
    hosts = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
    servers, urls = [], []
    from contextlib import ExitStack
    with ExitStack() as stack:
        for host in hosts:
            server = stack.enter_context(local_server({f"/p{i}": html(PAGE) for i in range(4)}, host=host, latency_s=0.1))
            servers.append(server)
            urls += [f"{server.base_url}/p{i}" for i in range(4)]
        results = fetch_all(urls, settings, workers=12)
    intervals = [(start, end) for s in servers for path, start, end, _ in s.log if path != "/robots.txt"]
    assert {r.outcome for r in results} == {"fetched"} and len(intervals) == 12
    assert max(s.max_active for s in servers) <= 2
    assert max_overlap(intervals) <= 3


def test_retry_after_holds_back_the_other_threads_on_that_host():
    routes = {"/busy": fail_then(1, 429, html(PAGE), retry_after="1"), "/other": html(PAGE)}
    with local_server(routes) as server:
        with ThreadPoolExecutor(2) as pool:
            busy = pool.submit(fetch_url, server.base_url + "/busy", FAST)
            import time
            time.sleep(0.3)   # /busy got its 429 by now
            other = pool.submit(fetch_url, server.base_url + "/other", FAST)
            assert busy.result().outcome == other.result().outcome == "fetched"
        first_busy = starts(server, "/busy")[0]
        other_start = starts(server, "/other")[0]
    assert other_start - first_busy >= 0.95


@pytest.mark.slow
def test_limits_hold_inside_a_flows_thread_pool(prefect_harness):
    """The same limits when the fetches are Prefect tasks on the flow's ThreadPoolTaskRunner."""
    from prefect import flow, unmapped
    from prefect.task_runners import ThreadPoolTaskRunner

    from tasks.fetch import fetch_page

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=8))
    def fetch_many(urls: list[str], settings: Settings) -> list:
        return [future.result() for future in fetch_page.map(urls, unmapped(settings))]

    settings = replace(FAST, per_host_concurrency=1, fetch_workers=4)
    from contextlib import ExitStack
    with ExitStack() as stack:
        servers = [stack.enter_context(local_server({f"/p{i}": html(PAGE) for i in range(4)}, host=host, latency_s=0.1))
                   for host in ("127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.8", "127.0.0.9", "127.0.0.10")]
        urls = [f"{s.base_url}/p{i}" for i in range(4) for s in servers]
        results = fetch_many(urls, settings)
    intervals = [(start, end) for s in servers for _, start, end, _ in s.log]
    assert [r.outcome for r in results] == ["fetched"] * 24
    assert max(s.max_active for s in servers) == 1 and max_overlap(intervals) <= 4


def test_a_redirect_target_host_is_asked_about_its_own_robots():
    with local_server({"/robots.txt": robots_route(b"User-agent: *\nDisallow: /private\n"),
                       "/private/x": html(PAGE)}, host="127.0.0.3") as target:
        with local_server({"/go": lambda n: (302, {"Location": target.base_url + "/private/x"}, b"")}) as origin:
            result = fetch_url(origin.base_url + "/go", FAST)
        target_hits = dict(target.hits)
    assert result.outcome == "robots_disallowed" and result.redirects == (origin.base_url + "/go",)
    assert target_hits == {"/robots.txt": 1}


def test_a_wait_for_the_global_slot_does_not_shorten_the_host_delay():
    """One global slot, held 0.4 s by a slow host: the other host's two requests must still start
    0.3 s apart, counted from when the first one really started."""
    settings = replace(FAST, fetch_workers=1, per_host_delay_s=0.3, obey_robots=False)
    with local_server({"/slow": html(PAGE)}, host="127.0.0.3", latency_s=0.4) as slow, \
            local_server({"/a1": html(PAGE), "/a2": html(PAGE)}) as quick:
        with ThreadPoolExecutor(3) as pool:
            first = pool.submit(fetch_url, slow.base_url + "/slow", settings)
            import time
            time.sleep(0.05)   # the slow request holds the only global slot
            a1 = pool.submit(fetch_url, quick.base_url + "/a1", settings)
            time.sleep(0.05)
            a2 = pool.submit(fetch_url, quick.base_url + "/a2", settings)
            assert {f.result().outcome for f in (first, a1, a2)} == {"fetched"}
        times = starts(quick)
    assert len(times) == 2 and times[1] - times[0] >= 0.25, times


def test_idle_hosts_are_forgotten_but_never_one_in_use():
    registry = HostRegistry(global_concurrency=4, per_host_concurrency=1, max_hosts=3)
    for key in ("http://a", "http://b", "http://c"):
        registry.host(key).next_start = -1000.0   # long idle
    with registry.slot("http://b", 0.0):
        registry.host("http://d")                  # over the cap: a and c go, b is in use
        assert registry.hosts_known() == 2
    assert registry.host("http://b").last_start > 0
