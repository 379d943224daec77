"""Virtual MFA devices: TOTP seeds, otpauth URIs, QR codes and code verification.

IAM User Guide, "Assigning a virtual MFA device" (id_credentials_mfa_enable_virtual) and the
CreateVirtualMFADevice API: a virtual MFA device is an RFC 6238 TOTP generator with HMAC-SHA-1,
six digits and 30-second time steps, provisioned from ``Base32StringSeed`` (RFC 3548 base32) or
a QR code of ``otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String``.

AWS's seeds are 64 base32 characters, i.e. 40 random bytes (320 bits; RFC 4226 section 4
requires at least 128 and recommends 160); :func:`new_seed` makes the same by default.

Replay: :func:`verify_code` returns the time step a code matched, and refuses any step at or
before ``last_used_step``; the caller stores the returned step, so a code, once accepted, is never
accepted again (RFC 6238 section 5.2: "the verifier MUST NOT accept the second attempt of the
OTP after the successful validation has been issued for the first OTP").
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import io
import secrets
from urllib.parse import quote, urlencode

import pyotp
import segno

__all__ = [
    "CODE_DIGITS",
    "RESYNC_WINDOW_STEPS",
    "SEED_BYTES",
    "TIME_STEP_SECONDS",
    "base32",
    "code_at",
    "new_seed",
    "otpauth_uri",
    "qr_png",
    "time_step",
    "verify_code",
    "verify_two_consecutive",
    "virtual_mfa_label",
]

SEED_BYTES = 40
TIME_STEP_SECONDS = 30
CODE_DIGITS = 6

RESYNC_WINDOW_STEPS = 10
"""How far (in 30-second steps, either way) two consecutive codes may lie from now.

EnableMFADevice and ResyncMFADevice take two consecutive codes (AuthenticationCode1 and 2). RFC
6238 section 6 lets a verifier look further for resynchronisation than for a single login,
because the device's clock may have drifted; AWS does exactly that, accepting codes generated
"too long" before the request and leaving the device out of sync (User Guide,
id_credentials_mfa_enable_virtual: "If you generate the codes and then wait too long to submit
the request, the MFA device successfully associates with the user but the MFA device is out of
sync"). iamd accepts a pair whose second code lies within 10 steps (5 minutes) of now. A random
pair matches with probability (2*10+1) / 10**12, so the wider window costs no security, while
a single code keeps the narrow window of :func:`verify_code` (one step, RFC 6238 section 5.2).
"""


def new_seed(nbytes: int = SEED_BYTES) -> bytes:
    """A new random TOTP seed (40 bytes, as AWS's virtual MFA devices)."""
    if nbytes < 16:
        raise ValueError("a TOTP seed must have at least 128 bits (RFC 4226 section 4)")
    return secrets.token_bytes(nbytes)


def base32(seed: bytes) -> str:
    """The seed as RFC 3548 base32 (``Base32StringSeed``; padding stripped, as apps expect)."""
    return base64.b32encode(seed).decode("ascii").rstrip("=")


def virtual_mfa_label(device_name: str, account_name: str) -> str:
    """AWS's QR-code label: ``$virtualMFADeviceName@$AccountName``."""
    return f"{device_name}@{account_name}"


def otpauth_uri(seed: bytes, account_label: str, issuer: str | None = None) -> str:
    """The ``otpauth://totp/...`` URI a QR code carries (Google Authenticator Key URI format).

    Without ``issuer`` it is exactly the form the CreateVirtualMFADevice documentation gives,
    ``otpauth://totp/<label>?secret=<base32>``; with one, the label becomes ``<issuer>:<label>``
    and ``&issuer=`` is added so authenticator apps show the issuer.
    """
    label = quote(account_label, safe="@")
    query: dict[str, str] = {"secret": base32(seed)}
    if issuer is not None:
        label = f"{quote(issuer, safe='')}:{label}"
        query["issuer"] = issuer
    return f"otpauth://totp/{label}?{urlencode(query, quote_via=quote)}"


def qr_png(uri: str, *, scale: int = 4) -> bytes:
    """A PNG image of a QR code of ``uri`` (``QRCodePNG``), with the standard 4-module border."""
    code = segno.make(uri, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def time_step(now: dt.datetime) -> int:
    """The RFC 6238 time step (T) of ``now``: whole 30-second periods since the Unix epoch."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return int(now.timestamp()) // TIME_STEP_SECONDS


def _code(seed: bytes, step: int, digits: int = CODE_DIGITS) -> str:
    return str(pyotp.TOTP(base32(seed), digits=digits).generate_otp(step))


def code_at(seed: bytes, now: dt.datetime, digits: int = CODE_DIGITS) -> str:
    """The code a device with ``seed`` shows at ``now`` (RFC 6238, HMAC-SHA-1)."""
    return _code(seed, time_step(now), digits)


def _well_formed(code: str) -> bool:
    return len(code) == CODE_DIGITS and all(c in "0123456789" for c in code)


def _matches(seed: bytes, step: int, code: str) -> bool:
    return hmac.compare_digest(_code(seed, step).encode("ascii"), code.encode("ascii"))


def verify_code(
    seed: bytes,
    code: str,
    now: dt.datetime,
    last_used_step: int | None,
    window: int = 1,
) -> int | None:
    """The time step ``code`` is valid for, within ``window`` steps of ``now``, or None.

    Steps at or before ``last_used_step`` are never accepted: store the returned step as the
    device's new ``last_used_step``. The default window of one step either way is RFC 6238
    section 5.2's recommendation for network delay and small clock drift.
    """
    if window < 0:
        raise ValueError("window must not be negative")
    if not _well_formed(code):
        return None
    current = time_step(now)
    for step in range(current - window, current + window + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if _matches(seed, step, code):
            return step
    return None


def verify_two_consecutive(
    seed: bytes,
    code1: str,
    code2: str,
    now: dt.datetime,
    *,
    window: int = RESYNC_WINDOW_STEPS,
    last_used_step: int | None = None,
) -> int | None:
    """The step of ``code2`` when ``code1`` and ``code2`` are codes of two consecutive steps.

    For EnableMFADevice and ResyncMFADevice: ``code2``'s step must lie within ``window`` steps
    of ``now`` (see :data:`RESYNC_WINDOW_STEPS`) and ``code1``'s step must be the one before.
    The returned step becomes the device's ``last_used_step``, so neither code works again.
    """
    if window < 0:
        raise ValueError("window must not be negative")
    if not (_well_formed(code1) and _well_formed(code2)):
        return None
    current = time_step(now)
    for step in range(current - window, current + window + 1):
        if last_used_step is not None and step - 1 <= last_used_step:
            continue
        if _matches(seed, step, code2) and _matches(seed, step - 1, code1):
            return step
    return None
