"""Temporary access key ids carry their account, in AWS's layout."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from iamd.ids import RandomIds
from iamd.services.sts.issuing import account_of_key_id, session_key_id


def _aws_decode(key_id: str) -> str:
    """The decoding published for AWS's own key ids."""
    z = int.from_bytes(base64.b32decode(key_id[4:])[:6], "big")
    return f"{(z & 0x7FFFFFFFFF80) >> 7:012d}"


@given(st.integers(min_value=10**11, max_value=10**12 - 1))
def test_the_account_is_read_back(account: int) -> None:
    key_id = session_key_id(RandomIds(), str(account))
    assert key_id.startswith("ASIA") and len(key_id) == 20
    assert account_of_key_id(key_id) == str(account) == _aws_decode(key_id)


def test_two_keys_of_one_account_differ() -> None:
    ids = RandomIds()
    assert session_key_id(ids, "123456789012") != session_key_id(ids, "123456789012")


def test_what_is_not_a_key_id_has_no_account() -> None:
    assert account_of_key_id("ASIA") is None
    assert account_of_key_id("ASIA0000000000000000") is None  # 0 and 1 are not base32
