"""MasterKeyring: AES-256-GCM secrets at rest, bound to a context, with rotation."""

from __future__ import annotations

import pytest

from iamd.credentials.keyring import (
    KEY_BYTES,
    MasterKeyError,
    MasterKeyring,
    SecretDecryptionError,
    key_id_of,
)

KEY_A = bytes(range(32))
KEY_B = bytes(range(32, 64))
KEY_C = bytes(range(64, 96))
CONTEXT = b"iamd:access-key:AKIAEXAMPLE"


def test_round_trip() -> None:
    ring = MasterKeyring(KEY_A)
    blob = ring.encrypt(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", context=CONTEXT)
    assert ring.decrypt(blob, context=CONTEXT) == b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"


def test_empty_plaintext_round_trips() -> None:
    ring = MasterKeyring(KEY_A)
    assert ring.decrypt(ring.encrypt(b"", context=CONTEXT), context=CONTEXT) == b""


def test_layout_is_version_key_id_nonce_ciphertext_tag() -> None:
    ring = MasterKeyring(KEY_A)
    blob = ring.encrypt(b"12345", context=CONTEXT)
    assert blob[0] == 1
    assert blob[1:5].hex() == key_id_of(KEY_A) == ring.active_key_id
    assert len(blob) == 1 + 4 + 12 + 5 + 16


def test_nonces_are_fresh() -> None:
    ring = MasterKeyring(KEY_A)
    blobs = {ring.encrypt(b"same", context=CONTEXT) for _ in range(50)}
    assert len(blobs) == 50
    assert len({blob[5:17] for blob in blobs}) == 50


def test_plaintext_does_not_appear_in_ciphertext() -> None:
    ring = MasterKeyring(KEY_A)
    assert b"SECRETSECRET" not in ring.encrypt(b"SECRETSECRET", context=CONTEXT)


def test_wrong_context_is_refused() -> None:
    ring = MasterKeyring(KEY_A)
    blob = ring.encrypt(b"secret", context=b"iamd:access-key:AKIAONE")
    with pytest.raises(SecretDecryptionError):
        ring.decrypt(blob, context=b"iamd:access-key:AKIATWO")


def test_every_byte_flip_is_refused() -> None:
    ring = MasterKeyring(KEY_A)
    blob = ring.encrypt(b"secret access key", context=CONTEXT)
    for index in range(len(blob)):
        for bit in (0x01, 0x80):
            tampered = bytearray(blob)
            tampered[index] ^= bit
            with pytest.raises(SecretDecryptionError):
                ring.decrypt(bytes(tampered), context=CONTEXT)


def test_truncated_and_extended_blobs_are_refused() -> None:
    ring = MasterKeyring(KEY_A)
    blob = ring.encrypt(b"secret", context=CONTEXT)
    for bad in (blob[:-1], blob + b"\x00", b"", blob[:20]):
        with pytest.raises(SecretDecryptionError):
            ring.decrypt(bad, context=CONTEXT)


def test_unknown_version_is_refused() -> None:
    ring = MasterKeyring(KEY_A)
    blob = bytearray(ring.encrypt(b"secret", context=CONTEXT))
    blob[0] = 2
    with pytest.raises(SecretDecryptionError):
        ring.decrypt(bytes(blob), context=CONTEXT)
    with pytest.raises(SecretDecryptionError):
        ring.needs_rotation(bytes(blob))


def test_wrong_key_is_refused() -> None:
    blob = MasterKeyring(KEY_A).encrypt(b"secret", context=CONTEXT)
    with pytest.raises(SecretDecryptionError):
        MasterKeyring(KEY_B).decrypt(blob, context=CONTEXT)


def test_error_says_nothing_specific() -> None:
    blob = MasterKeyring(KEY_A).encrypt(b"secret", context=CONTEXT)
    with pytest.raises(SecretDecryptionError) as wrong_key:
        MasterKeyring(KEY_B).decrypt(blob, context=CONTEXT)
    with pytest.raises(SecretDecryptionError) as wrong_context:
        MasterKeyring(KEY_A).decrypt(blob, context=b"other")
    assert str(wrong_key.value) == str(wrong_context.value)


def test_old_keys_decrypt_but_do_not_encrypt() -> None:
    before = MasterKeyring(KEY_A)
    old_blob = before.encrypt(b"secret", context=CONTEXT)
    after = MasterKeyring(KEY_B, [KEY_A])
    assert after.decrypt(old_blob, context=CONTEXT) == b"secret"
    new_blob = after.encrypt(b"secret", context=CONTEXT)
    assert after.blob_key_id(new_blob) == key_id_of(KEY_B)
    with pytest.raises(SecretDecryptionError):
        before.decrypt(new_blob, context=CONTEXT)


def test_needs_rotation_names_blobs_under_old_keys() -> None:
    old_blob = MasterKeyring(KEY_A).encrypt(b"secret", context=CONTEXT)
    ring = MasterKeyring(KEY_B, [KEY_A])
    assert ring.needs_rotation(old_blob)
    assert not ring.needs_rotation(ring.encrypt(b"secret", context=CONTEXT))


def test_reencrypt_moves_a_blob_to_the_active_key() -> None:
    old_blob = MasterKeyring(KEY_A).encrypt(b"secret", context=CONTEXT)
    ring = MasterKeyring(KEY_B, [KEY_A])
    fresh = ring.reencrypt(old_blob, context=CONTEXT)
    assert not ring.needs_rotation(fresh)
    assert MasterKeyring(KEY_B).decrypt(fresh, context=CONTEXT) == b"secret"


def test_blob_key_id_of_an_unknown_key() -> None:
    blob = MasterKeyring(KEY_C).encrypt(b"secret", context=CONTEXT)
    ring = MasterKeyring(KEY_A)
    assert ring.blob_key_id(blob) == key_id_of(KEY_C)
    assert ring.needs_rotation(blob)


def test_key_ids_list_the_active_key_first() -> None:
    ring = MasterKeyring(KEY_B, [KEY_A, KEY_C])
    assert ring.key_ids == (key_id_of(KEY_B), key_id_of(KEY_A), key_id_of(KEY_C))
    assert ring.active_key_id == key_id_of(KEY_B)


def test_key_id_is_eight_hex_digits_and_depends_on_the_key() -> None:
    assert len(key_id_of(KEY_A)) == 8
    int(key_id_of(KEY_A), 16)
    assert key_id_of(KEY_A) != key_id_of(KEY_B)


def test_a_key_listed_twice_counts_once() -> None:
    ring = MasterKeyring(KEY_A, [KEY_A, KEY_B, KEY_B])
    assert ring.key_ids == (key_id_of(KEY_A), key_id_of(KEY_B))


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_keys_must_be_32_bytes(size: int) -> None:
    with pytest.raises(MasterKeyError):
        MasterKeyring(b"k" * size)
    with pytest.raises(MasterKeyError):
        MasterKeyring(KEY_A, [b"k" * size])
    with pytest.raises(MasterKeyError):
        key_id_of(b"k" * size)
    assert KEY_BYTES == 32


def test_colliding_key_ids_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import iamd.credentials.keyring as keyring

    real = keyring._derive

    def same_id(material: bytes, label: bytes) -> bytes:
        return b"\x00" * 32 if label == keyring._KEY_ID_LABEL else real(material, label)

    monkeypatch.setattr(keyring, "_derive", same_id)
    with pytest.raises(MasterKeyError, match="share the key id"):
        MasterKeyring(KEY_A, [KEY_B])


def test_repr_shows_no_key_material() -> None:
    ring = MasterKeyring(KEY_A, [KEY_B])
    text = repr(ring)
    assert key_id_of(KEY_A) in text
    assert KEY_A.hex() not in text
    assert KEY_B.hex() not in text


def test_key_check_value_identifies_the_active_key() -> None:
    ring = MasterKeyring(KEY_A)
    value = ring.key_check_value()
    assert len(value) == 32
    assert MasterKeyring(KEY_A).key_check_value() == value
    assert MasterKeyring(KEY_B).key_check_value() != value
    assert KEY_A.hex()[:32] != value


def test_key_check_values_cover_every_key() -> None:
    ring = MasterKeyring(KEY_B, [KEY_A])
    values = ring.key_check_values()
    assert list(values) == [key_id_of(KEY_B), key_id_of(KEY_A)]
    assert values[key_id_of(KEY_A)] == MasterKeyring(KEY_A).key_check_value()


def test_recognizes_any_key_of_the_ring() -> None:
    stored = MasterKeyring(KEY_A).key_check_value()
    assert MasterKeyring(KEY_B, [KEY_A]).recognizes(stored)
    assert MasterKeyring(KEY_A).recognizes(stored)
    assert not MasterKeyring(KEY_B).recognizes(stored)
    assert not MasterKeyring(KEY_A).recognizes("")
    assert not MasterKeyring(KEY_A).recognizes("é" * 32)
