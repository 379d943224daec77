"""Identifiers in AWS's formats, from the operating system's CSPRNG."""

from __future__ import annotations

import re
from collections import Counter

from iamd.ids import RandomIds


def test_formats() -> None:
    ids = RandomIds()
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", ids.unique_id("AIDA"))
    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", ids.access_key_id())
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", ids.access_key_id("ASIA"))
    assert re.fullmatch(r"[A-Za-z0-9+/]{40}", ids.secret_access_key())
    assert re.fullmatch(r"[1-9][0-9]{11}", ids.account_id())


def test_every_character_of_the_alphabet_appears_everywhere() -> None:
    ids = RandomIds()
    samples = [ids.unique_id("") for _ in range(4000)]
    assert len(set(samples)) == len(samples)
    for position in (0, 8, 16):
        seen = Counter(sample[position] for sample in samples)
        assert set(seen) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        assert max(seen.values()) < 3 * min(seen.values())
