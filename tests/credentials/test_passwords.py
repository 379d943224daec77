"""argon2id password hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.low_level import Type

from iamd.credentials.passwords import (
    ARGON2_PARAMETERS,
    hash_password,
    needs_rehash,
    password_was_used,
    verify_password,
)


def test_hash_is_argon2id_with_the_chosen_parameters() -> None:
    stored = hash_password("Correct-Horse-1")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert ARGON2_PARAMETERS.type is Type.ID
    assert (ARGON2_PARAMETERS.salt_len, ARGON2_PARAMETERS.hash_len) == (16, 32)


def test_hashes_are_salted() -> None:
    assert hash_password("same password") != hash_password("same password")


def test_verify_accepts_the_password() -> None:
    assert verify_password(hash_password("Correct-Horse-1"), "Correct-Horse-1")


def test_verify_refuses_another_password_without_raising() -> None:
    stored = hash_password("Correct-Horse-1")
    assert not verify_password(stored, "correct-horse-1")
    assert not verify_password(stored, "")


def test_verify_without_a_hash_is_false() -> None:
    assert not verify_password(None, "anything")
    assert not verify_password("", "anything")


def test_verify_of_a_corrupt_hash_is_false() -> None:
    assert not verify_password("not a hash", "x")
    assert not verify_password("$2b$12$abcdefghijklmnopqrstuu", "x")


def test_non_latin_passwords_round_trip() -> None:
    assert verify_password(hash_password("pässwörd-ÿ"), "pässwörd-ÿ")


def test_own_hashes_need_no_rehash() -> None:
    assert not needs_rehash(hash_password("x"))


def test_weaker_parameters_need_a_rehash_but_still_verify() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("old")
    assert verify_password(weak, "old")
    assert needs_rehash(weak)


def test_corrupt_hash_needs_a_rehash() -> None:
    assert needs_rehash("garbage")


def test_password_was_used_checks_every_previous_hash() -> None:
    previous = [hash_password("first-1A!"), hash_password("second-2B@")]
    assert password_was_used("second-2B@", previous)
    assert password_was_used("first-1A!", previous)
    assert not password_was_used("third-3C#", previous)
    assert not password_was_used("anything", [])
