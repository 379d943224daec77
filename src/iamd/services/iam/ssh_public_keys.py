"""SSH public keys for CodeCommit: UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys,
UpdateSSHPublicKey, DeleteSSHPublicKey ("Use SSH keys and SSH with CodeCommit",
id_credentials_ssh-keys; IAM API Reference).

A key is an RSA key of at least 2048 bits, in OpenSSH (``ssh-rsa AAAA... comment``) or PEM form
(SubjectPublicKeyInfo or PKCS#1), parsed with ``cryptography``. Its fingerprint is the MD5 of
the OpenSSH key blob in colon-separated hex, as ``ssh-keygen -l -E md5`` and AWS show it. At most
five keys per user ("SSH public keys assigned to an IAM user: 5", reference_iam-quotas).

"The Public Key with id X cannot be found." is AWS's text (AWS-recorded snapshots in LocalStack's
IAM tests); the texts of InvalidPublicKey, DuplicateSSHPublicKey and
UnrecognizedPublicKeyEncoding are iamd's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from iamd.domain import KeyStatus, SshPublicKey
from iamd.errors import (
    DuplicateSSHPublicKey,
    InvalidInput,
    InvalidPublicKey,
    NoSuchEntity,
    UnrecognizedPublicKeyEncoding,
)
from iamd.services.context import Call
from iamd.services.iam.lifecycle import check_quota
from iamd.services.iam.lookups import on_user, require_user, target_user
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.registry import iam_operation

__all__ = [
    "MINIMUM_KEY_BITS",
    "ParsedSshKey",
    "delete_ssh_public_key",
    "get_ssh_public_key",
    "list_ssh_public_keys",
    "parse_ssh_public_key",
    "settable_status",
    "update_ssh_public_key",
    "upload_ssh_public_key",
]

MINIMUM_KEY_BITS = 2048


@dataclass(frozen=True, slots=True)
class ParsedSshKey:
    openssh: str  # "ssh-rsa AAAA..." without a comment
    pem: str  # "-----BEGIN PUBLIC KEY-----..."
    fingerprint: str  # "xx:xx:...:xx", MD5 of the OpenSSH key blob


def _load(body: str) -> rsa.RSAPublicKey:
    text = body.strip()
    if text.startswith("ssh-rsa "):
        try:
            key = serialization.load_ssh_public_key(text.encode("latin-1"))
        except (ValueError, UnsupportedAlgorithm, binascii.Error):
            raise InvalidPublicKey("The SSH public key is not a valid ssh-rsa key.") from None
    elif text.startswith("-----BEGIN "):
        try:
            loaded = serialization.load_pem_public_key(text.encode("latin-1"))
        except (ValueError, UnsupportedAlgorithm):
            raise InvalidPublicKey("The PEM public key is malformed.") from None
        if not isinstance(loaded, rsa.RSAPublicKey):
            raise InvalidPublicKey("The public key must be an RSA key.")
        key = loaded
    else:
        raise UnrecognizedPublicKeyEncoding(
            "The public key must be encoded in ssh-rsa format or PEM format."
        )
    if not isinstance(key, rsa.RSAPublicKey):
        raise InvalidPublicKey("The public key must be an RSA key.")
    if key.key_size < MINIMUM_KEY_BITS:
        raise InvalidPublicKey(
            f"The public key is {key.key_size} bits long; the minimum is {MINIMUM_KEY_BITS}."
        )
    return key


def parse_ssh_public_key(body: str) -> ParsedSshKey:
    """The key in both encodings and its fingerprint; AWS's refusals for anything else."""
    key = _load(body)
    openssh = key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode("ascii")
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    digest = hashlib.md5(base64.b64decode(openssh.split()[1]), usedforsecurity=False).hexdigest()
    fingerprint = ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
    return ParsedSshKey(openssh, pem, fingerprint)


def settable_status(status: str) -> KeyStatus:
    """Active or Inactive; Expired is a status AWS reports and never takes (iamd's text)."""
    if status not in (KeyStatus.ACTIVE.value, KeyStatus.INACTIVE.value):
        raise InvalidInput(f"Status {status} cannot be set; use Active or Inactive.")
    return KeyStatus(status)


def _require_key(call: Call, user_id: str, key_id: str) -> SshPublicKey:
    key = call.uow.ssh_public_keys.get(user_id, key_id)
    if key is None or key.account_id != call.account_id:
        raise NoSuchEntity(f"The Public Key with id {key_id} cannot be found.")
    return key


def _metadata(key: SshPublicKey) -> dict[str, object]:
    return {
        "user_name": key.user_name,
        "ssh_public_key_id": key.id,
        "status": key.status.value,
        "upload_date": key.uploaded_at,
    }


def _full(key: SshPublicKey, body: str) -> dict[str, object]:
    return {**_metadata(key), "fingerprint": key.fingerprint, "ssh_public_key_body": body}


@iam_operation("UploadSSHPublicKey", write=True, authz=on_user())
def upload_ssh_public_key(
    call: Call, *, user_name: str, ssh_public_key_body: str
) -> Mapping[str, object]:
    user = require_user(call, user_name)
    parsed = parse_ssh_public_key(ssh_public_key_body)
    existing = call.uow.ssh_public_keys.for_user(user.id)
    if any(k.fingerprint == parsed.fingerprint for k in existing):
        raise DuplicateSSHPublicKey("The SSH public key is already associated with this user.")
    check_quota(len(existing), call.deps.quotas.ssh_public_keys_per_user, "SSHPublicKeysPerUser")
    key = SshPublicKey(
        id=call.deps.ids.unique_id("APKA"),
        account_id=call.account_id,
        user_id=user.id,
        user_name=user.name,
        body=ssh_public_key_body,
        fingerprint=parsed.fingerprint,
        status=KeyStatus.ACTIVE,
        uploaded_at=call.now,
    )
    call.uow.ssh_public_keys.add(key)
    return {"ssh_public_key": _full(key, key.body)}


@iam_operation("GetSSHPublicKey", write=False, authz=on_user())
def get_ssh_public_key(
    call: Call, *, user_name: str, ssh_public_key_id: str, encoding: str
) -> Mapping[str, object]:
    """The body in the encoding asked for: as uploaded when that was the encoding, else
    converted (``ssh-rsa AAAA...`` or a ``PUBLIC KEY`` PEM block)."""
    user = require_user(call, user_name)
    key = _require_key(call, user.id, ssh_public_key_id)
    uploaded_pem = key.body.lstrip().startswith("-----BEGIN ")
    if (encoding == "PEM") == uploaded_pem:
        body = key.body
    else:
        parsed = parse_ssh_public_key(key.body)
        body = parsed.pem if encoding == "PEM" else parsed.openssh
    return {"ssh_public_key": _full(key, body)}


@iam_operation("ListSSHPublicKeys", write=False, authz=on_user())
def list_ssh_public_keys(
    call: Call,
    *,
    user_name: str | None = None,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    """The keys of a user or of the calling IAM user; the root user has none."""
    user = target_user(call, user_name)
    if user is None:
        return {"ssh_public_keys": [], "is_truncated": False}
    with valid_marker():
        page = call.uow.ssh_public_keys.page(user.id, marker=marker, max_items=max_items)
    return page_result(page, "ssh_public_keys", _metadata)


@iam_operation("UpdateSSHPublicKey", write=True, authz=on_user())
def update_ssh_public_key(
    call: Call, *, user_name: str, ssh_public_key_id: str, status: str
) -> None:
    user = require_user(call, user_name)
    key = _require_key(call, user.id, ssh_public_key_id)
    call.uow.ssh_public_keys.set_status(key.id, settable_status(status))
    return None


@iam_operation("DeleteSSHPublicKey", write=True, authz=on_user())
def delete_ssh_public_key(call: Call, *, user_name: str, ssh_public_key_id: str) -> None:
    user = require_user(call, user_name)
    key = _require_key(call, user.id, ssh_public_key_id)
    call.uow.ssh_public_keys.delete(key.id)
    return None
