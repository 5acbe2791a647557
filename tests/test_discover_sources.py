"""Sources beyond feeds: sitemaps (indexes, Google News, gzipped, text) and WARC archives."""
from __future__ import annotations

import gzip
from datetime import datetime, timezone
from io import BytesIO

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tasks.discover import Candidate, dedupe_candidates, discover_candidates
from tasks.fetch import FetchResult
from tasks.settings import Settings
from tasks.sitemaps import expand_sitemaps, gunzip_capped, keep_since, parse_sitemap
from tasks.warc import iter_warc_pages, make_filter, WarcScan
from tests.conftest import FIXTURES
from tests.local_server import local_server, typed

DATA = FIXTURES / "fetch"
SETTINGS = Settings(allow_private_hosts=True, per_host_delay_s=0.0)
MARCH_10 = datetime(2026, 3, 10, tzinfo=timezone.utc)


def test_google_news_sitemap_entries_keep_title_and_date():
    result = parse_sitemap((DATA / "news-sitemap.xml").read_bytes(), "https://harbourtimes.example/news.xml")
    assert (result.status, result.kind, len(result.candidates)) == ("ok", "urlset", 2)
    first = result.candidates[0]
    assert first.title == "Port strike ends after three weeks as unions accept pay offer"
    assert first.published == "2026-03-14T09:30:00+01:00" and first.origin == "https://harbourtimes.example/news.xml"
    assert first.hints()["title"] == first.title
    # Canonicalized like every other candidate: the tracking parameter goes.
    assert dedupe_candidates([first])[0].url == "https://harbourtimes.example/business/2026/03/port-strike-ends"


def test_plain_sitemap_lastmod_and_the_since_filter():
    result = parse_sitemap((DATA / "sitemap-pages.xml").read_bytes(), "s")
    assert [c.updated for c in result.candidates] == ["2026-03-12T18:40:00+00:00", "2025-11-02", None]
    recent = keep_since(result, MARCH_10)
    assert [c.url.rsplit("/", 2)[-2] for c in recent.candidates] == ["city-council-approves-new-cycle-lanes", "about"]


def test_gzipped_text_and_broken_sitemaps():
    packed = gzip.compress((DATA / "sitemap-pages.xml").read_bytes())
    assert len(parse_sitemap(packed, "s.xml.gz").candidates) == 3
    text = parse_sitemap(b"https://a.example/1\n\nhttps://a.example/2\nnot a url\n", "s.txt")
    assert (text.kind, [c.url for c in text.candidates]) == ("text", ["https://a.example/1", "https://a.example/2"])
    assert parse_sitemap(b"<html><body>oops</body></html>", "s").status == "malformed"
    assert parse_sitemap(b"\x1f\x8b\x08garbage", "s").status == "malformed"
    bomb = gzip.compress(b"<urlset>" + b" " * 3_000_000 + b"</urlset>")
    with pytest.raises(ValueError, match="over"):
        gunzip_capped(bomb, cap=1_000_000)


def test_entities_are_not_expanded():
    evil = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/hostname">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/&x;</loc></url></urlset>"""
    urls = [c.url for c in parse_sitemap(evil, "s").candidates]
    assert all("etc" not in url and len(url) < 40 for url in urls)


def test_an_index_is_expanded_once_each_with_gzip_and_since():
    index = (DATA / "sitemap-index.xml").read_bytes()
    pages_gz = gzip.compress((DATA / "sitemap-pages.xml").read_bytes())
    with local_server({}) as server:
        server.routes.update({
            "/sitemap-index.xml": typed(index.replace(b"SERVER", server.base_url.encode()), "application/xml"),
            "/sitemap-news.xml": typed((DATA / "news-sitemap.xml").read_bytes(), "text/xml"),
            "/sitemap-pages.xml.gz": typed(pages_gz, "application/x-gzip"),
            "/sitemap-2019.xml": typed(b"<urlset/>", "application/xml"),
        })
        candidates, results, fetches = expand_sitemaps([server.base_url + "/sitemap-index.xml"], SETTINGS, since=MARCH_10)
        hits = dict(server.hits)
    assert [r.kind for r in results] == ["index", "urlset", "urlset"]
    assert hits["/sitemap-index.xml"] == 1 and "/sitemap-2019.xml" not in hits   # older than since
    assert {c.title for c in candidates} >= {"Port strike ends after three weeks as unions accept pay offer"}
    assert "Winter ferry timetable extended" not in {c.title for c in candidates}    # published 1 March
    assert len(candidates) == 3 and all(f.outcome == "fetched" for f in fetches)


def test_discover_orders_feeds_sitemaps_then_plain_urls_and_keeps_not_modified_feeds_quiet():
    feed = FetchResult("http://x.example/feed", "not_modified", http_status=304)
    sitemap = [Candidate("http://x.example/a?utm_medium=x", "http://x.example/sitemap.xml", title="From sitemap")]
    candidates, feed_results = discover_candidates.fn(["http://x.example/a", "http://x.example/b"], [feed], sitemap)
    assert [(c.url, c.title) for c in candidates] == [("http://x.example/a", "From sitemap"), ("http://x.example/b", None)]
    assert feed_results[0].status == "not_modified"


def write_warc(path, records, compress):
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=compress)
        for url, date, status, content_type, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)


@pytest.mark.parametrize("name,compress", [("news.warc.gz", True), ("news.warc", False)])
def test_warc_pages_are_filtered_by_host_and_date(tmp_path, name, compress):
    records = [
        ("https://harbourtimes.example/business/2026/03/port-strike-ends", "2026-03-14T10:00:00Z", "200 OK",
         "text/html; charset=utf-8", (DATA / "article-wire.html").read_bytes()),
        ("https://www.riversidelocal.example/2026/03/12/city-council-approves-new-cycle-lanes/", "2026-03-12T19:00:00Z",
         "200 OK", "text/html; charset=UTF-8", (DATA / "blog-post.html").read_bytes()),
        ("https://zeitung.example/lokales/verkehr", "2026-03-11T08:00:00Z", "200 OK", "text/html",
         (DATA / "legacy-cp1252.html").read_bytes()),
        ("https://harbourtimes.example/img/port.jpg", "2026-03-14T10:00:01Z", "200 OK", "image/jpeg", b"\xff\xd8\xff"),
        ("https://harbourtimes.example/missing", "2026-03-14T10:00:02Z", "404 Not Found", "text/html", b"<h1>no</h1>"),
        ("https://harbourtimes.example/old", "2025-01-01T00:00:00Z", "200 OK", "text/html", b"<html>old</html>"),
    ]
    path = tmp_path / name
    write_warc(path, records, compress)
    scan = WarcScan()
    wanted = make_filter(["harbourtimes.example", "riversidelocal.example"], since=MARCH_10)
    pages = list(iter_warc_pages(path, wanted, 1_000_000, scan))
    assert [p.url for p in pages] == [records[0][0], records[1][0]]
    assert pages[0].body == records[0][4] and pages[0].outcome == "fetched" and len(pages[0].content_hash) == 64
    assert pages[0].fetched_at == datetime(2026, 3, 14, 10, tzinfo=timezone.utc)
    assert dict(scan.skipped) == {"other_host": 1, "not_html": 1, "http_error": 1, "other_date": 1}
    everything = list(iter_warc_pages(path, make_filter(), 1_000_000))
    legacy = [p for p in everything if "zeitung" in p.url][0]
    assert legacy.charset == "windows-1252" and "Zürich" in legacy.body.decode(legacy.charset)


def test_sitemaps_are_found_in_robots_or_at_the_usual_place():
    from tasks.sitemaps import sitemaps_from_robots
    with local_server({}) as listed, local_server({}, host="127.0.0.3") as bare:
        listed.routes["/robots.txt"] = typed(f"User-agent: *\nAllow: /\nSitemap: {listed.base_url}/news.xml\n"
                                             f"Sitemap: {listed.base_url}/index.xml\n".encode(), "text/plain")
        found, refused = sitemaps_from_robots([listed.base_url + "/", bare.base_url + "/section/page.html",
                                               "ftp://files.example/", "http://no-such-host.invalid/"], SETTINGS)
    assert found == [listed.base_url + "/news.xml", listed.base_url + "/index.xml", bare.base_url + "/sitemap.xml",
                     "http://no-such-host.invalid/sitemap.xml"]   # its fetch records that the host does not resolve
    assert refused == [("ftp://files.example/", "scheme ftp is not fetched, only http and https")]
