"""URL parts of URLs that come from outside: feeds, pages, redirects, WARC files.

urllib raises ValueError on some of them instead of returning parts: an unclosed IPv6 bracket
("http://[oops/"), and a host with a character that NFKC turns into ':', '/', '?', '#' or '@'
("a\uff1ab.example"; Python's guard against host spoofing, CVE-2019-9636). One such URL in a feed,
a page's meta tags or a Location header must cost that URL or that value, never the feed, the
page or the run; these helpers give None or "" where urllib raises.
"""
from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit


def split_url(url: str) -> SplitResult | None:
    try:
        return urlsplit(url)
    except ValueError:
        return None


def host_of(url: str) -> str:
    """The lower-case host name, "" when there is none or urllib refuses the URL."""
    parts = split_url(url)
    return (parts.hostname or "") if parts else ""


def join_url(base: str, reference: str) -> str | None:
    """The reference resolved against base; None when urllib refuses either."""
    try:
        return urljoin(base, reference)
    except ValueError:
        return None
