"""Discovery: URL canonicalization, URL files, feeds with hints, malformed feeds."""
from __future__ import annotations

from tasks.discover import Candidate, canonicalize_url, dedupe_candidates, parse_feed, read_url_file

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Example</title><link>http://127.0.0.1:8000/</link>
<item><title>First story</title><link>http://127.0.0.1:8000/a.html?utm_source=rss</link>
<pubDate>Tue, 07 Dec 2021 21:11:00 +0000</pubDate><dc:creator>Jane Doe</dc:creator></item>
<item><title>Second story</title><link>http://127.0.0.1:8000/b.html</link></item>
</channel></rss>"""


def test_canonicalize_drops_tracking_and_fragment_but_keeps_identifying_parameters():
    assert canonicalize_url("HTTP://News.Example.COM/a?utm_source=x&id=5#top") == "http://news.example.com/a?id=5"


def test_feed_entries_keep_their_hints():
    result = parse_feed(RSS, "http://127.0.0.1:8000/feed.xml")
    assert result.status == "ok"
    first = result.candidates[0]
    assert (first.title, first.published, first.author) == ("First story", "Tue, 07 Dec 2021 21:11:00 +0000", "Jane Doe")
    assert first.hints() == {"title": "First story", "published": "Tue, 07 Dec 2021 21:11:00 +0000", "author": "Jane Doe"}


def test_malformed_feed_gets_a_status():
    result = parse_feed(b"\x89PNG not a feed at all", "http://127.0.0.1/feed")
    assert result.status in ("malformed", "empty") and result.candidates == ()


def test_duplicates_collapse_to_the_first_mention():
    found = dedupe_candidates([
        Candidate("http://127.0.0.1:8000/a.html?utm_source=rss", "feed", title="From feed"),
        Candidate("http://127.0.0.1:8000/a.html", "argument"),
        Candidate("http://127.0.0.1:8000/b.html", "argument"),
    ])
    assert [(c.url, c.title) for c in found] == [("http://127.0.0.1:8000/a.html", "From feed"),
                                                 ("http://127.0.0.1:8000/b.html", None)]


def test_url_file_skips_blanks_and_comments(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text("# list\nhttp://a.example/1\n\n  http://a.example/2  \n")
    assert read_url_file(path) == ["http://a.example/1", "http://a.example/2"]
