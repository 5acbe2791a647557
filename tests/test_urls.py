"""URLs urllib refuses (tasks/urls.py) cost only themselves in the URL helpers and discovery."""
from __future__ import annotations

from tasks.discover import Candidate, canonicalize_url, interleave_by_host, resolve_canonical
from tasks.urls import host_of, join_url, split_url
from warehouse.keys import source_of

BRACKET, NFKC = "http://[oops/story", "https://news\uff1aevil.example/story"


def test_helpers_give_none_or_empty_where_urllib_raises():
    assert split_url(BRACKET) is None and split_url(NFKC) is None
    assert host_of(NFKC) == "" and host_of("https://WWW.Example.org:8080/a") == "www.example.org"
    assert join_url("https://example.org/a/", BRACKET) is None
    assert join_url("https://example.org/a/", "../b") == "https://example.org/b"
    assert source_of(NFKC) == "unknown" and source_of("https://www.example.org/x") == "example.org"


def test_discovery_keeps_an_unparseable_url_as_given_for_the_fetch_to_refuse():
    assert canonicalize_url(f"  {NFKC} ") == NFKC
    assert resolve_canonical("https://example.org/story?id=1", BRACKET) == "https://example.org/story?id=1"
    ordered = interleave_by_host([Candidate(NFKC, "feed"), Candidate("https://a.example/1", "feed"),
                                  Candidate("https://a.example/2", "feed")])
    assert [c.url for c in ordered] == [NFKC, "https://a.example/1", "https://a.example/2"]
