"""Fetching against a real local server: outcomes are classed, transient failures raise."""
from __future__ import annotations

import pytest

from tasks.fetch import TransientFetchError, fetch_url
from tasks.settings import Settings
from tests.local_server import fail_then, html, local_server

PAGE = b"<html><body><p>Hello</p></body></html>"


def test_ok_page_is_fetched_with_hash_and_user_agent():
    settings = Settings(user_agent="newsdesk-test/1 (+https://example.org/contact)")
    with local_server({"/a": html(PAGE)}) as server:
        result = fetch_url(server.base_url + "/a", settings)
    assert result.outcome == "fetched"
    assert result.body == PAGE and result.http_status == 200 and result.content_type == "text/html"
    assert len(result.content_hash) == 64
    assert server.user_agents == ["newsdesk-test/1 (+https://example.org/contact)"]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_transient_statuses_raise_for_retry(status):
    with local_server({"/busy": fail_then(99, status, html(PAGE))}) as server:
        with pytest.raises(TransientFetchError) as caught:
            fetch_url(server.base_url + "/busy", Settings())
    assert caught.value.http_status == status


def test_permanent_failures_are_recorded_not_raised():
    routes = {
        "/pdf": lambda n: (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
        "/big": lambda n: (200, {"Content-Type": "text/html"}, b"x" * 5000),
    }
    with local_server(routes) as server:
        missing = fetch_url(server.base_url + "/missing", Settings())
        pdf = fetch_url(server.base_url + "/pdf", Settings())
        big = fetch_url(server.base_url + "/big", Settings(max_body_bytes=1000))
    assert (missing.outcome, missing.http_status, missing.error) == ("http_error", 404, "HTTP 404")
    assert (pdf.outcome, pdf.error) == ("not_html", "content type application/pdf")
    assert big.outcome == "too_large" and big.body == b""


def test_connection_refused_is_transient_and_other_schemes_are_refused():
    with local_server({}) as server:
        dead_url = server.base_url + "/a"
    with pytest.raises(TransientFetchError, match="ConnectionError"):
        fetch_url(dead_url, Settings(connect_timeout_s=1))
    assert fetch_url("file:///etc/passwd", Settings()).outcome == "bad_url"
