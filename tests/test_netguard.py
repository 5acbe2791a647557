"""The SSRF guard: private, loopback, link-local and metadata addresses are refused unless allowed."""
from __future__ import annotations

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from tasks.fetch import fetch_url
from tasks.netguard import (BadUrl, BlockedAddress, GuardedAdapter, check_url, is_public_address,
                            parse_networks, split_host)
from tasks.settings import Settings
from tests.local_server import html, local_server, redirect

PAGE = b"<html><body><p>inside</p></body></html>"
OPEN = Settings(allow_private_hosts=True, per_host_delay_s=0.0, obey_robots=False)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "100.100.100.200", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1",
    "224.0.0.1", "255.255.255.255",
])
def test_inside_addresses_are_not_public(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_internet_addresses_are_public(address):
    assert is_public_address(address)


@given(st.ip_addresses(v=4, network="10.0.0.0/8") | st.ip_addresses(v=4, network="192.168.0.0/16")
       | st.ip_addresses(v=4, network="127.0.0.0/8") | st.ip_addresses(v=6, network="fc00::/7"))
def test_every_private_range_address_is_refused(address):
    assert not is_public_address(str(address))


def test_literal_and_named_loopback_hosts_are_blocked_by_default():
    with pytest.raises(BlockedAddress):
        check_url("http://127.0.0.1:9/x", allow_private=False)
    with pytest.raises(BlockedAddress):
        check_url("http://localhost/x", allow_private=False)
    with pytest.raises(BlockedAddress):
        check_url("http://[::1]/x", allow_private=False)
    check_url("http://127.0.0.1:9/x", allow_private=True)


def test_only_http_and_https_with_a_host():
    assert split_host("HTTPS://Example.org/a") == ("https", "example.org", 443)
    for url in ("file:///etc/passwd", "ftp://example.org/", "javascript:alert(1)", "http:///nohost"):
        with pytest.raises(BadUrl):
            split_host(url)


def test_fetch_refuses_loopback_by_default_without_connecting():
    with local_server({"/a": html(PAGE)}) as server:
        result = fetch_url(server.base_url + "/a", Settings(obey_robots=True))
        hits = sum(server.hits.values())
    assert result.outcome == "blocked" and "127.0.0.1" in result.error
    assert hits == 0


def test_the_adapter_checks_the_connected_peer_whatever_dns_said():
    """The second line of defence (DNS rebinding): the socket's peer address itself is checked."""
    session = requests.Session()
    session.mount("http://", GuardedAdapter())
    with local_server({"/a": html(PAGE)}) as server:
        with pytest.raises(BlockedAddress):
            session.get(server.base_url + "/a", timeout=2)
        hits = sum(server.hits.values())
    assert hits == 0


def test_a_redirect_into_the_network_is_refused_after_the_hop():
    """Only 127.0.0.1 is allowed here; the page redirects to another loopback address and to a
    metadata address: both hops are refused, and the inside server is never reached."""
    settings = Settings(allowed_private_networks=("127.0.0.1/32",), per_host_delay_s=0.0, obey_robots=False)
    with local_server({"/secret": html(PAGE)}, host="127.0.0.2") as inside:
        routes = {"/r": redirect(inside.base_url + "/secret"),
                  "/meta": redirect("http://169.254.169.254/latest/meta-data/")}
        with local_server(routes) as server:
            to_inside = fetch_url(server.base_url + "/r", settings)
            to_metadata = fetch_url(server.base_url + "/meta", settings)
        inside_hits = sum(inside.hits.values())
    assert to_inside.outcome == "blocked" and "127.0.0.2" in to_inside.error
    assert to_metadata.outcome == "blocked" and "169.254.169.254" in to_metadata.error
    assert server.hits["/r"] == 1 and inside_hits == 0


def test_allowed_networks_open_only_those_addresses():
    allowed = parse_networks(("10.1.2.0/24", "127.0.0.1"))
    assert is_public_address("10.1.2.7", allowed) and is_public_address("127.0.0.1", allowed)
    assert not is_public_address("10.1.3.7", allowed) and not is_public_address("127.0.0.2", allowed)
