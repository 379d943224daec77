"""Virtual MFA: RFC 6238 TOTP, replay protection, two consecutive codes, otpauth URI, QR PNG."""

from __future__ import annotations

import base64
import datetime as dt
import struct
import zlib
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import segno

from iamd.credentials.totp import (
    RESYNC_WINDOW_STEPS,
    base32,
    code_at,
    new_seed,
    otpauth_uri,
    qr_png,
    time_step,
    verify_code,
    verify_two_consecutive,
    virtual_mfa_label,
)

RFC_SEED = b"12345678901234567890"  # RFC 6238 Appendix B, the SHA-1 seed


def at(unix: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(unix, dt.UTC)


@pytest.mark.parametrize(
    ("unix", "step", "code"),
    [
        (59, 0x1, "94287082"),
        (1111111109, 0x23523EC, "07081804"),
        (1111111111, 0x23523ED, "14050471"),
        (1234567890, 0x273EF07, "89005924"),
        (2000000000, 0x3F940AA, "69279037"),
        (20000000000, 0x27BC86AA, "65353130"),
    ],
)
def test_rfc_6238_appendix_b_sha1_vectors(unix: int, step: int, code: str) -> None:
    assert time_step(at(unix)) == step
    assert code_at(RFC_SEED, at(unix), digits=8) == code
    # Six digits are the same HOTP value modulo 10**6.
    assert code_at(RFC_SEED, at(unix)) == code[-6:]


def test_time_step_needs_an_aware_time() -> None:
    with pytest.raises(ValueError):
        time_step(dt.datetime(2024, 1, 1))


# -- seeds and provisioning --------------------------------------------------------------------


def test_seed_is_40_random_bytes_and_64_base32_characters() -> None:
    seed = new_seed()
    assert len(seed) == 40
    assert len(base32(seed)) == 64
    assert new_seed() != seed
    assert base64.b32decode(base32(seed)) == seed


def test_short_seeds_are_refused() -> None:
    assert len(new_seed(20)) == 20
    with pytest.raises(ValueError):
        new_seed(15)


def test_base32_strips_padding() -> None:
    assert base32(RFC_SEED) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert base32(b"\x00" * 16) == "AAAAAAAAAAAAAAAAAAAAAAAAAA"


def test_otpauth_uri_has_aws_documented_form() -> None:
    label = virtual_mfa_label("ExampleName", "123456789012")
    uri = otpauth_uri(RFC_SEED, label)
    assert uri == "otpauth://totp/ExampleName@123456789012?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def test_otpauth_uri_with_an_issuer() -> None:
    uri = otpauth_uri(RFC_SEED, "dev@alice", issuer="iamd local")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert unquote(parts.path) == "/iamd local:dev@alice"
    assert parts.path == "/iamd%20local:dev@alice"
    query = parse_qs(parts.query)
    assert query == {"secret": ["GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"], "issuer": ["iamd local"]}


def test_otpauth_uri_escapes_the_label() -> None:
    uri = otpauth_uri(RFC_SEED, "a b/c:d@e")
    assert uri.startswith("otpauth://totp/a%20b%2Fc%3Ad@e?")


def png_modules(png: bytes, scale: int) -> list[list[bool]]:
    """Decode segno's 1-bit greyscale PNG into dark (True) / light modules."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks = 8, {}
    idat = b""
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + data)
        chunks[kind] = data
        if kind == b"IDAT":
            idat += data
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour, width) == (1, 0, height)  # 1-bit greyscale, square
    raw = zlib.decompress(idat)
    stride = 1 + (width + 7) // 8
    rows = []
    for y in range(0, height, scale):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0  # filter type None
        bits = [(line[1 + x // 8] >> (7 - x % 8)) & 1 for x in range(0, width, scale)]
        rows.append([bit == 0 for bit in bits])  # greyscale 0 is black: a dark module
    return rows


def test_qr_png_is_a_png_of_the_uri() -> None:
    uri = otpauth_uri(new_seed(), "dev@123456789012")
    png = qr_png(uri, scale=3)
    expected = segno.make(uri, error="m", micro=False)
    matrix = [[bool(v) for v in row] for row in expected.matrix]
    border = [False] * (len(matrix) + 8)
    framed = [border] * 4 + [[False] * 4 + row + [False] * 4 for row in matrix] + [border] * 4
    assert png_modules(png, scale=3) == framed


# -- single codes ----------------------------------------------------------------------------------

NOW = at(1_700_000_000)  # step 56666666, 20 s into the step
SEED = bytes(range(40))


def code_for(step_offset: int, seed: bytes = SEED) -> str:
    return code_at(seed, NOW + dt.timedelta(seconds=30 * step_offset))


def test_current_code_is_accepted_and_names_its_step() -> None:
    assert verify_code(SEED, code_for(0), NOW, None) == time_step(NOW)


@pytest.mark.parametrize("offset", [-1, 1])
def test_adjacent_steps_are_accepted(offset: int) -> None:
    assert verify_code(SEED, code_for(offset), NOW, None) == time_step(NOW) + offset


@pytest.mark.parametrize("offset", [-3, -2, 2, 3])
def test_codes_outside_the_window_are_refused(offset: int) -> None:
    assert verify_code(SEED, code_for(offset), NOW, None) is None


def test_a_wider_window_accepts_them() -> None:
    assert verify_code(SEED, code_for(-3), NOW, None, window=3) == time_step(NOW) - 3
    assert verify_code(SEED, code_for(1), NOW, None, window=0) is None
    with pytest.raises(ValueError):
        verify_code(SEED, code_for(0), NOW, None, window=-1)


def test_a_used_code_is_never_accepted_again() -> None:
    step = verify_code(SEED, code_for(0), NOW, None)
    assert step is not None
    assert verify_code(SEED, code_for(0), NOW, step) is None
    assert verify_code(SEED, code_for(0), NOW + dt.timedelta(seconds=20), step) is None
    assert verify_code(SEED, code_for(-1), NOW, step) is None
    assert verify_code(SEED, code_for(1), NOW, step) == step + 1


def test_another_seed_does_not_verify() -> None:
    assert verify_code(bytes(range(1, 41)), code_for(0), NOW, None) is None


@pytest.mark.parametrize(
    "code",
    ["", "12345", "1234567", "12345a", " 12345", "\uff11\uff12\uff13\uff14\uff15\uff16", "٣٣٣٣٣٣"],
)
def test_malformed_codes_are_refused(code: str) -> None:
    assert verify_code(SEED, code, NOW, None) is None
    assert verify_two_consecutive(SEED, code, code_for(0), NOW) is None
    assert verify_two_consecutive(SEED, code_for(-1), code, NOW) is None


# -- two consecutive codes (EnableMFADevice, ResyncMFADevice) ------------------------------------


def test_two_consecutive_codes_are_accepted() -> None:
    assert verify_two_consecutive(SEED, code_for(-1), code_for(0), NOW) == time_step(NOW)


def test_the_terraform_provider_pattern_is_accepted() -> None:
    # hashicorp/terraform-provider-aws enables devices with codes for now-30s and now.
    code1 = code_at(SEED, NOW - dt.timedelta(seconds=30))
    code2 = code_at(SEED, NOW)
    assert verify_two_consecutive(SEED, code1, code2, NOW) == time_step(NOW)


def test_codes_in_the_wrong_order_are_refused() -> None:
    assert verify_two_consecutive(SEED, code_for(0), code_for(-1), NOW) is None


def test_non_consecutive_codes_are_refused() -> None:
    assert verify_two_consecutive(SEED, code_for(-2), code_for(0), NOW) is None
    assert verify_two_consecutive(SEED, code_for(0), code_for(0), NOW) is None


@pytest.mark.parametrize("offset", [-RESYNC_WINDOW_STEPS, RESYNC_WINDOW_STEPS])
def test_a_drifted_device_resynchronises_within_the_window(offset: int) -> None:
    step = verify_two_consecutive(SEED, code_for(offset - 1), code_for(offset), NOW)
    assert step == time_step(NOW) + offset


@pytest.mark.parametrize("offset", [-RESYNC_WINDOW_STEPS - 1, RESYNC_WINDOW_STEPS + 1])
def test_a_pair_outside_the_window_is_refused(offset: int) -> None:
    assert verify_two_consecutive(SEED, code_for(offset - 1), code_for(offset), NOW) is None


def test_pair_window_is_adjustable() -> None:
    assert verify_two_consecutive(SEED, code_for(-2), code_for(-1), NOW, window=0) is None
    assert verify_two_consecutive(SEED, code_for(-2), code_for(-1), NOW, window=1) is not None
    with pytest.raises(ValueError):
        verify_two_consecutive(SEED, code_for(-1), code_for(0), NOW, window=-1)


def test_a_used_pair_is_refused() -> None:
    step = verify_two_consecutive(SEED, code_for(-1), code_for(0), NOW)
    assert step is not None
    assert verify_two_consecutive(SEED, code_for(-1), code_for(0), NOW, last_used_step=step) is None
    # A pair whose first code was already used is refused as well.
    assert verify_two_consecutive(SEED, code_for(0), code_for(1), NOW, last_used_step=step) is None
    assert verify_two_consecutive(SEED, code_for(1), code_for(2), NOW, last_used_step=step) == (
        step + 2
    )
    assert verify_code(SEED, code_for(0), NOW, step) is None
