"""Which address a request came from: X-Forwarded-For only from trusted proxies."""

import pytest
from django.test import RequestFactory

from exchanges.pure.client_ip import client_ip, client_ip_bucket, is_direct_loopback


def _request(remote: str, xff: str | None = None, **headers):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    extra.update(headers)
    return RequestFactory().get("/", **extra)


def test_an_untrusted_peer_is_the_client_whatever_it_forwards(settings):
    settings.JUMELAGE_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_with_no_trusted_proxy_configured_forwarded_headers_are_ignored(settings):
    settings.JUMELAGE_TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "198.51.100.1")) == "127.0.0.1"


def test_a_trusted_proxy_names_the_client(settings):
    settings.JUMELAGE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.0.0.5", "198.51.100.1")) == "198.51.100.1"


def test_hops_the_client_wrote_left_of_the_proxys_entry_are_ignored(settings):
    settings.JUMELAGE_TRUSTED_PROXIES = ["10.0.0.5"]
    request = _request("10.0.0.5", "1.1.1.1, 2.2.2.2, 198.51.100.1")
    assert client_ip(request) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.JUMELAGE_TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.1.1"]
    request = _request("10.0.0.5", "6.6.6.6, 198.51.100.1, 192.168.1.1, 10.0.0.9")
    assert client_ip(request) == "198.51.100.1"


def test_garbage_from_a_trusted_proxy_falls_back_to_the_proxy(settings):
    settings.JUMELAGE_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(_request("10.0.0.5", "not-an-ip")) == "10.0.0.5"


def test_ports_and_mapped_addresses_are_normalised(settings):
    settings.JUMELAGE_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(_request("10.0.0.5", "198.51.100.1:4431")) == "198.51.100.1"
    assert client_ip(_request("::ffff:203.0.113.9")) == "203.0.113.9"


def test_ipv6_clients_are_bucketed_by_their_64(settings):
    settings.JUMELAGE_TRUSTED_PROXIES = []
    assert client_ip_bucket(_request("2001:db8:1:2::abcd")) == "2001:db8:1:2::/64"
    assert client_ip_bucket(_request("203.0.113.9")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("remote", "headers", "expected"),
    [
        ("127.0.0.1", {}, True),
        ("::1", {}, True),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "127.0.0.1"}, False),
        ("127.0.0.1", {"HTTP_FORWARDED": "for=127.0.0.1"}, False),
        ("127.0.0.1", {"HTTP_X_REAL_IP": "127.0.0.1"}, False),
        ("203.0.113.9", {}, False),
    ],
)
def test_direct_loopback_means_this_machine_and_no_proxy(remote, headers, expected):
    assert is_direct_loopback(_request(remote, **headers)) is expected
