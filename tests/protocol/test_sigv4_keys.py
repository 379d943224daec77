"""Signing-key derivation and the bounded, thread-safe cache of derived keys."""

from __future__ import annotations

import threading

import pytest

from iamd.protocol import sigv4_keys
from iamd.protocol.sigv4_keys import SigningKeyCache, derive_signing_key


def test_derived_key_is_awss_published_example() -> None:
    # AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
    key = derive_signing_key(
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"
    )

    assert key.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


def test_cache_returns_the_derived_key() -> None:
    keys = SigningKeyCache()

    assert keys.signing_key("secret", "20260314", "us-east-1", "sts") == derive_signing_key(
        "secret", "20260314", "us-east-1", "sts"
    )


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str, str]]:
    calls: list[tuple[str, str, str, str]] = []
    real = sigv4_keys.derive_signing_key

    def derive(secret: str, date: str, region: str, service: str) -> bytes:
        calls.append((secret, date, region, service))
        return real(secret, date, region, service)

    monkeypatch.setattr(sigv4_keys, "derive_signing_key", derive)
    return calls


def test_cache_derives_each_scope_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    keys = SigningKeyCache()

    for _ in range(3):
        keys.signing_key("secret", "20260314", "us-east-1", "iam")

    assert len(calls) == 1


def test_other_secret_is_another_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    keys = SigningKeyCache()

    first = keys.signing_key("secret-1", "20260314", "us-east-1", "iam")
    second = keys.signing_key("secret-2", "20260314", "us-east-1", "iam")

    assert first != second
    assert len(calls) == 2


def test_least_recently_used_is_evicted(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    keys = SigningKeyCache(max_entries=2)
    keys.signing_key("s", "20260314", "us-east-1", "iam")
    keys.signing_key("s", "20260314", "us-east-1", "sts")
    keys.signing_key("s", "20260314", "us-east-1", "iam")  # iam is now the most recent

    keys.signing_key("s", "20260315", "us-east-1", "iam")  # evicts sts
    keys.signing_key("s", "20260314", "us-east-1", "iam")  # still cached
    keys.signing_key("s", "20260314", "us-east-1", "sts")  # derived again

    assert len(keys) == 2
    assert [call[1:] for call in calls].count(("20260314", "us-east-1", "sts")) == 2
    assert [call[1:] for call in calls].count(("20260314", "us-east-1", "iam")) == 1


def test_cache_needs_room_for_one_key() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SigningKeyCache(max_entries=0)


def test_cache_is_safe_across_threads() -> None:
    keys = SigningKeyCache(max_entries=16)
    scopes = [(f"secret-{i % 7}", f"202603{10 + i % 5}", "us-east-1", "iam") for i in range(40)]
    wrong: list[tuple[str, str, str, str]] = []

    def hammer() -> None:
        for _ in range(50):
            for scope in scopes:
                if keys.signing_key(*scope) != derive_signing_key(*scope):
                    wrong.append(scope)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert wrong == []
    assert len(keys) <= 16
