"""robots.txt rules (RFC 9309) with Protego: parsing and answers, no network here.

tasks/fetch.py fetches /robots.txt once per host and keeps the rules for `robots_ttl_s`; what the
HTTP status of that fetch means follows the RFC:

- 2xx: the file's rules;
- 4xx (404, 403, 410 ...): no rules, everything allowed;
- 5xx, 429, network errors, redirect trouble: the site is unreachable, so everything is
  disallowed for now (the URLs come back as robots_disallowed, with the reason).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

# RFC 9309: crawlers must parse at least 500 KiB; more is not worth reading.
MAX_ROBOTS_BYTES = 512 * 1024


@dataclass(frozen=True)
class RobotsRules:
    status: str                          # rules, allow_all, unreachable
    source: str                          # the robots.txt URL
    parser: Protego | None = field(default=None, compare=False, repr=False)
    error: str | None = None

    def allows(self, url: str, agent: str) -> bool:
        if self.status == "allow_all":
            return True
        if self.status == "unreachable" or self.parser is None:
            return False
        return bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(agent)
        if delay is None:
            rate = self.parser.request_rate(agent)
            # Request-rate: n requests per s seconds, the same thing said the other way round.
            return float(rate.seconds) / rate.requests if rate and rate.requests else 0.0
        return float(delay)

    def sitemaps(self) -> tuple[str, ...]:
        return tuple(self.parser.sitemaps) if self.parser is not None else ()


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/robots.txt", "", ""))


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: 'newsdesk' of 'newsdesk/0.1 (+...)'."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


def parse_robots(body: bytes, source: str) -> RobotsRules:
    text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
    return RobotsRules("rules", source, Protego.parse(text))


def rules_for_status(status: int, source: str) -> RobotsRules:
    """Rules when /robots.txt answered with no usable body."""
    if 400 <= status < 500 and status != 429:
        return RobotsRules("allow_all", source)
    return RobotsRules("unreachable", source, error=f"robots.txt answered HTTP {status}")


def unreachable(source: str, error: str) -> RobotsRules:
    return RobotsRules("unreachable", source, error=f"robots.txt unreachable: {error}")
