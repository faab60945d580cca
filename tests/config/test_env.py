import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_networks


def test_env_networks_reads_addresses_and_cidrs(monkeypatch):
    monkeypatch.setenv("JUMELAGE_TEST_NETS", "10.0.0.0/8, 192.0.2.7 ,::1")
    assert env_networks("JUMELAGE_TEST_NETS", []) == ["10.0.0.0/8", "192.0.2.7", "::1"]


def test_env_networks_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("JUMELAGE_TEST_NETS", raising=False)
    assert env_networks("JUMELAGE_TEST_NETS", []) == []


def test_env_networks_refuses_a_wildcard(monkeypatch):
    monkeypatch.setenv("JUMELAGE_TEST_NETS", "*")
    with pytest.raises(ImproperlyConfigured, match="JUMELAGE_TEST_NETS"):
        env_networks("JUMELAGE_TEST_NETS", [])
