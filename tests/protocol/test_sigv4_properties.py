"""Properties: whatever botocore signs verifies; any one changed signature byte fails."""

from __future__ import annotations

import string
from dataclasses import replace

import pytest
from botocore.utils import percent_encode_sequence
from hypothesis import given
from hypothesis import strategies as st
from test_sigv4_testkit import SECRET, WireRequest, parse, presign, sign_form, verify

from iamd.errors import SignatureDoesNotMatch
from iamd.protocol.sigv4 import verify_signature

# Header values as HTTP carries them: ISO-8859-1 text without control characters but tab.
_header_char = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
header_values = st.text(st.one_of(_header_char, st.just("\t")), max_size=40)
header_names = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12).map(
    lambda name: f"x-test-{name}"
)
headers = st.dictionaries(header_names, header_values, max_size=5)
# Query names and values: any text; botocore percent-encodes its UTF-8.
query_text = st.text(max_size=20)
query_params = st.dictionaries(
    query_text.filter(lambda name: not name.startswith("X-Amz-")), query_text, max_size=6
)
path_segments = st.lists(
    st.sampled_from(["a", "b-c", "~d", ".", "..", "", "e_f.g"]), max_size=6
).map(lambda segments: "/" + "/".join(segments))


@given(headers=headers, params=query_params, body=st.binary(max_size=200), path=path_segments)
def test_botocore_signed_post_verifies(
    headers: dict[str, str], params: dict[str, str], body: bytes, path: str
) -> None:
    query = f"?{percent_encode_sequence(params)}" if params else ""
    request = sign_form(
        url=f"http://127.0.0.1:9400{path}{query}", headers=tuple(headers.items()), body=body
    )

    verify(request)


@given(params=query_params, token=st.none() | st.text(string.printable, min_size=1, max_size=60))
def test_botocore_presigned_request_verifies(params: dict[str, str], token: str | None) -> None:
    signed = verify(presign(params, token=token))

    assert signed.security_token == token


def _signed_form() -> WireRequest:
    return sign_form(headers=(("X-Test", "v"),))


@given(index=st.integers(min_value=0, max_value=63), byte=st.integers(0, 255))
def test_any_single_changed_signature_byte_fails(index: int, byte: int) -> None:
    request = _signed_form()
    signed = parse(request)
    original = signed.signature
    changed = original[:index] + chr(byte) + original[index + 1 :]
    if changed == original:
        changed = original[:index] + chr((byte + 1) % 256) + original[index + 1 :]

    with pytest.raises(SignatureDoesNotMatch):
        verify_signature(
            replace(signed, signature=changed),
            request.method,
            request.raw_path,
            request.raw_query,
            request.headers,
            request.body,
            SECRET,
        )
