"""SSH public keys: upload (ssh-rsa or PEM, RSA of at least 2048 bits, MD5 fingerprint), get in
either encoding, list, update, delete; AWS's refusals, which change nothing."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from iamd_testkit import Account, aws_error


@cache
def _rsa(bits: int = 2048, n: int = 0) -> rsa.RSAPrivateKey:
    del n  # distinguishes cached keys
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _openssh(key: rsa.RSAPrivateKey, comment: str = "me@host") -> str:
    line = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return f"{line.decode()} {comment}"


def _pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _fingerprint(openssh: str) -> str:
    digest = hashlib.md5(base64.b64decode(openssh.split()[1]), usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def test_upload_an_ssh_rsa_key(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    body = _openssh(_rsa())
    key = iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=body)["SSHPublicKey"]
    assert key["UserName"] == "u"
    assert key["SSHPublicKeyId"].startswith("APKA") and len(key["SSHPublicKeyId"]) >= 20
    assert key["Fingerprint"] == _fingerprint(body)
    assert key["SSHPublicKeyBody"] == body
    assert key["Status"] == "Active"
    assert "UploadDate" in key


def test_upload_a_pem_key_and_get_it_in_both_encodings(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    private = _rsa()
    uploaded = iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=_pem(private))
    key_id = uploaded["SSHPublicKey"]["SSHPublicKeyId"]
    openssh = _openssh(private, comment="").strip()
    assert uploaded["SSHPublicKey"]["Fingerprint"] == _fingerprint(openssh)
    as_ssh = iam.get_ssh_public_key(UserName="u", SSHPublicKeyId=key_id, Encoding="SSH")
    assert as_ssh["SSHPublicKey"]["SSHPublicKeyBody"] == openssh
    as_pem = iam.get_ssh_public_key(UserName="u", SSHPublicKeyId=key_id, Encoding="PEM")
    assert as_pem["SSHPublicKey"]["SSHPublicKeyBody"] == _pem(private)


def test_get_an_ssh_key_as_pem(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    private = _rsa()
    body = _openssh(private)
    key_id = iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=body)["SSHPublicKey"][
        "SSHPublicKeyId"
    ]
    got = iam.get_ssh_public_key(UserName="u", SSHPublicKeyId=key_id, Encoding="PEM")
    loaded = serialization.load_pem_public_key(got["SSHPublicKey"]["SSHPublicKeyBody"].encode())
    assert isinstance(loaded, rsa.RSAPublicKey)
    assert loaded.public_numbers() == private.public_key().public_numbers()
    got = iam.get_ssh_public_key(UserName="u", SSHPublicKeyId=key_id, Encoding="SSH")
    assert got["SSHPublicKey"]["SSHPublicKeyBody"] == body
    assert got["SSHPublicKey"]["Fingerprint"] == _fingerprint(body)


def test_short_and_broken_keys_are_invalid(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    for body in (
        _openssh(_rsa(1024)),
        _pem(_rsa(1024)),
        "ssh-rsa AAAA-not-base64 me@host",
        "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n",
    ):
        error = aws_error(iam.upload_ssh_public_key, UserName="u", SSHPublicKeyBody=body)
        assert (error.code, error.status) == ("InvalidPublicKey", 400), body
    assert iam.list_ssh_public_keys(UserName="u")["SSHPublicKeys"] == []


def test_other_encodings_are_unrecognized(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    ed = ed25519.Ed25519PrivateKey.generate().public_key()
    ed_line = ed.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    for body in (ed_line.decode(), "hello"):
        error = aws_error(iam.upload_ssh_public_key, UserName="u", SSHPublicKeyBody=body)
        assert (error.code, error.status) == ("UnrecognizedPublicKeyEncoding", 400), body
    assert iam.list_ssh_public_keys(UserName="u")["SSHPublicKeys"] == []


def test_the_same_key_twice_for_a_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_user(UserName="v")
    private = _rsa()
    iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=_openssh(private))
    error = aws_error(iam.upload_ssh_public_key, UserName="u", SSHPublicKeyBody=_pem(private))
    assert (error.code, error.status) == ("DuplicateSSHPublicKey", 400)
    assert len(iam.list_ssh_public_keys(UserName="u")["SSHPublicKeys"]) == 1
    iam.upload_ssh_public_key(UserName="v", SSHPublicKeyBody=_openssh(private))


def test_five_keys_per_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    for n in range(5):
        iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=_openssh(_rsa(2048, n)))
    error = aws_error(
        iam.upload_ssh_public_key, UserName="u", SSHPublicKeyBody=_openssh(_rsa(2048, 5))
    )
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for SSHPublicKeysPerUser: 5"
    assert len(iam.list_ssh_public_keys(UserName="u")["SSHPublicKeys"]) == 5


def test_upload_for_a_missing_user(account: Account) -> None:
    error = aws_error(
        account.iam().upload_ssh_public_key, UserName="nobody", SSHPublicKeyBody=_openssh(_rsa())
    )
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
    )


def test_list_update_delete(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    key_id = iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=_openssh(_rsa()))[
        "SSHPublicKey"
    ]["SSHPublicKeyId"]
    (listed,) = iam.list_ssh_public_keys(UserName="u")["SSHPublicKeys"]
    assert set(listed) == {"UserName", "SSHPublicKeyId", "Status", "UploadDate"}
    iam.update_ssh_public_key(UserName="u", SSHPublicKeyId=key_id, Status="Inactive")
    got = iam.get_ssh_public_key(UserName="u", SSHPublicKeyId=key_id, Encoding="SSH")
    assert got["SSHPublicKey"]["Status"] == "Inactive"
    error = aws_error(
        iam.update_ssh_public_key, UserName="u", SSHPublicKeyId=key_id, Status="Expired"
    )
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert iam.list_ssh_public_keys(UserName="u")["SSHPublicKeys"][0]["Status"] == "Inactive"
    iam.delete_ssh_public_key(UserName="u", SSHPublicKeyId=key_id)
    assert iam.list_ssh_public_keys(UserName="u")["SSHPublicKeys"] == []


def test_a_missing_or_foreign_key_is_not_found(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_user(UserName="v")
    key_id = iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=_openssh(_rsa()))[
        "SSHPublicKey"
    ]["SSHPublicKeyId"]
    missing = "APKAAAAAAAAAAAAAAAAAA"
    for user, wanted in (("u", missing), ("v", key_id)):
        message = f"The Public Key with id {wanted} cannot be found."
        for call, extra in (
            (iam.get_ssh_public_key, {"Encoding": "SSH"}),
            (iam.update_ssh_public_key, {"Status": "Inactive"}),
            (iam.delete_ssh_public_key, {}),
        ):
            error = aws_error(call, UserName=user, SSHPublicKeyId=wanted, **extra)
            assert (error.code, error.status, error.message) == ("NoSuchEntity", 404, message)
    (listed,) = iam.list_ssh_public_keys(UserName="u")["SSHPublicKeys"]
    assert listed["Status"] == "Active"


def test_list_pages(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    for n in range(3):
        iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=_openssh(_rsa(2048, 10 + n)))
    first = iam.list_ssh_public_keys(UserName="u", MaxItems=2)
    assert first["IsTruncated"] is True and len(first["SSHPublicKeys"]) == 2
    rest = iam.list_ssh_public_keys(UserName="u", MaxItems=2, Marker=first["Marker"])
    assert rest["IsTruncated"] is False and len(rest["SSHPublicKeys"]) == 1


def test_delete_user_waits_for_its_ssh_keys(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    key_id = iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=_openssh(_rsa()))[
        "SSHPublicKey"
    ]["SSHPublicKeyId"]
    error = aws_error(iam.delete_user, UserName="u")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete entity, must remove referenced objects first."
    iam.delete_ssh_public_key(UserName="u", SSHPublicKeyId=key_id)
    iam.delete_user(UserName="u")
