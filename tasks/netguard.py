"""Refusing requests that would reach inside the network (SSRF), before and after connecting.

A URL from a feed, a sitemap or a redirect is attacker-controlled: it may name 127.0.0.1, a
cloud metadata address, or a host name whose DNS answer is private. Two checks, because DNS can
change between them (rebinding):

1. `check_url` before the request: scheme http/https only, and every address the host name
   resolves to must be public. This gives a clear reason and no connection is opened.
2. `GuardedAdapter` after the TCP connect: the address the socket is actually connected to must be
   public. This is the check that cannot be fooled by a second, different DNS answer.

`allow_private=True` (Settings.allow_private_hosts) turns both off, for tests and the demo that
serve pages on loopback.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

ALLOWED_SCHEMES = ("http", "https")
# Metadata services that are not covered by the private/link-local ranges everywhere.
_METADATA_ADDRESSES = frozenset({
    ipaddress.ip_address("169.254.169.254"),   # AWS, GCP, Azure, OpenStack (link-local anyway)
    ipaddress.ip_address("fd00:ec2::254"),     # AWS over IPv6 (unique-local anyway)
    ipaddress.ip_address("100.100.100.200"),   # Alibaba Cloud (carrier-grade NAT range)
})


class BlockedAddress(Exception):
    """The request would reach a private, loopback, link-local, metadata or reserved address."""


class BadUrl(Exception):
    """Not an http(s) URL with a host name."""


Networks = tuple  # of ipaddress.IPv4Network / IPv6Network


def parse_networks(cidrs: tuple[str, ...]) -> Networks:
    """Settings.allowed_private_networks as networks ("10.1.2.0/24", "127.0.0.1")."""
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def is_public_address(address: str, allowed: Networks = ()) -> bool:
    """True only for globally routable unicast addresses (an IPv4-mapped IPv6 is judged as IPv4),
    or for addresses inside networks the operator allowed explicitly."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in network for network in allowed):
        return True
    if ip in _METADATA_ADDRESSES:
        return False
    # is_global is False for private, loopback, link-local, shared (100.64/10), reserved,
    # documentation and unspecified ranges; multicast is global but never a web server.
    return ip.is_global and not ip.is_multicast


def split_host(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; raises BadUrl for anything else."""
    try:
        parts = urlsplit(url)
    except ValueError as error:   # e.g. a host with characters that NFKC turns into ':' or '/'
        raise BadUrl(str(error)) from error
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BadUrl(f"scheme {scheme or '(none)'} is not fetched, only http and https")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise BadUrl(f"bad port: {error}") from error
    if not host:
        raise BadUrl("no host name")
    return scheme, host, port or (443 if scheme == "https" else 80)


def check_url(url: str, allow_private: bool, allowed: Networks = ()) -> None:
    """Raises BadUrl or BlockedAddress; returns when the URL may be requested."""
    _, host, port = split_host(url)
    if allow_private:
        return
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return  # the request itself will fail with a network error, which is the right outcome
    for *_, sockaddr in answers:
        if not is_public_address(sockaddr[0], allowed):
            raise BlockedAddress(f"{host} resolves to non-public address {sockaddr[0]}")


def _check_peer(sock: socket.socket, host: str, allowed: Networks) -> None:
    peer = sock.getpeername()[0]
    if not is_public_address(peer, allowed):
        sock.close()
        raise BlockedAddress(f"{host} connected to non-public address {peer}")


def _guarded_pools(allowed: Networks) -> dict[str, type]:
    """Connection pools whose connections check their peer right after the TCP connect."""

    class GuardedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            _check_peer(sock, self.host, allowed)
            return sock

    class GuardedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            _check_peer(sock, self.host, allowed)
            return sock

    class GuardedHTTPPool(HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return {"http": GuardedHTTPPool, "https": GuardedHTTPSPool}


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections refuse non-public peers right after connecting."""

    def __init__(self, allowed: Networks = (), **kwargs):
        self._allowed = allowed
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _guarded_pools(self._allowed)
