"""What an STS session token carries, and AWS's PackedPolicySize of it.

IAM User Guide, "Requesting temporary security credentials" (id_credentials_temp_request) and
"Passing session tags in AWS STS" (id_session-tags). A session token in iamd is self-contained:
it holds everything needed to authenticate and authorize a request signed with the temporary
credentials, including the temporary secret access key, so any node verifies it without a
database read or write per AssumeRole (see :mod:`iamd.credentials.session_tokens`).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import zlib
from dataclasses import dataclass, field

__all__ = [
    "PACKED_POLICY_LIMIT_BYTES",
    "SessionClaims",
    "SessionKind",
    "packed_policy_size_percent",
]

PACKED_POLICY_LIMIT_BYTES = 1900
"""The packed size that counts as 100% of PackedPolicySize / SessionTokenUtilization.

AWS does not publish its format or limit ("An AWS conversion compresses the passed session
policies and session tags into a packed binary format that has a separate limit", User Guide,
id_credentials_temp_request). iamd packs the inline session policy, the policy ARNs (without
partition, service and the session's own account id, which the session implies), the session
tags and the transitive tag keys as compact JSON compressed with raw DEFLATE. The limit is
chosen so that the User Guide's two examples come out as AWS answered them: AssumeRole with a
102-character policy and two tags is 8% (139 bytes), GetFederationToken with one policy ARN and
the same tags 4% (71 bytes); any limit from 1800 to 1950 does. Above 100% STS answers
PackedPolicyTooLarge.
"""


class SessionKind(enum.Enum):
    """Which STS operation made the session, as the principal's ARN shows it."""

    ASSUMED_ROLE = "assumed-role"  # AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity
    FEDERATED_USER = "federated-user"  # GetFederationToken
    USER_SESSION = "user-session"  # GetSessionToken called by an IAM user
    ROOT_SESSION = "root-session"  # GetSessionToken called by the root user


def _utc_ms(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    value = value.astimezone(dt.UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


@dataclass(frozen=True, slots=True)
class SessionClaims:
    """The session a temporary credential stands for.

    ``principal_arn`` / ``principal_id`` are what GetCallerIdentity answers
    (``arn:aws:sts::123456789012:assumed-role/demo/John`` and ``AROA...:John``);
    ``issuer_arn`` / ``issuer_id`` name the role or user whose permissions the session has
    (CloudTrail's ``sessionIssuer``). Times are normalised to UTC at millisecond precision, the
    precision of the token. ``revocation_epoch`` is the issuer's revocation counter when the
    session was made: the verifier refuses the token once the stored counter has moved past it.
    """

    access_key_id: str
    secret_access_key: str = field(repr=False)
    account_id: str
    kind: SessionKind
    principal_arn: str
    principal_id: str
    issuer_arn: str
    issuer_id: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    mfa_authenticated: bool = False
    mfa_authenticated_at: dt.datetime | None = None
    session_policy: str | None = None
    session_policy_arns: tuple[str, ...] = ()
    session_tags: tuple[tuple[str, str], ...] = ()
    transitive_tag_keys: tuple[str, ...] = ()
    source_identity: str | None = None
    role_chained: bool = False
    federated_provider: str | None = None
    revocation_epoch: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "issued_at", _utc_ms(self.issued_at, "issued_at"))
        object.__setattr__(self, "expires_at", _utc_ms(self.expires_at, "expires_at"))
        if self.expires_at <= self.issued_at:
            raise ValueError("expires_at must be after issued_at")
        if self.mfa_authenticated_at is not None:
            if not self.mfa_authenticated:
                raise ValueError("mfa_authenticated_at needs mfa_authenticated")
            at = _utc_ms(self.mfa_authenticated_at, "mfa_authenticated_at")
            object.__setattr__(self, "mfa_authenticated_at", at)
        object.__setattr__(self, "session_policy_arns", tuple(self.session_policy_arns))
        object.__setattr__(
            self, "session_tags", tuple((key, value) for key, value in self.session_tags)
        )
        object.__setattr__(self, "transitive_tag_keys", tuple(self.transitive_tag_keys))

    @property
    def duration(self) -> dt.timedelta:
        return self.expires_at - self.issued_at


# -- the serialized form (inside the encrypted token) ------------------------------------------

_SCHEMA_VERSION = 1
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MILLISECOND = dt.timedelta(milliseconds=1)


def _ms(value: dt.datetime) -> int:
    return (value - _EPOCH) // _MILLISECOND


def _from_ms(value: object) -> dt.datetime:
    if type(value) is not int:
        raise ValueError("a time must be an integer")
    return _EPOCH + value * _MILLISECOND


def claims_to_json(claims: SessionClaims) -> bytes:
    """Compact JSON with short keys; empty and default fields are left out."""
    doc: dict[str, object] = {
        "v": _SCHEMA_VERSION,
        "k": claims.access_key_id,
        "s": claims.secret_access_key,
        "a": claims.account_id,
        "t": claims.kind.value,
        "p": claims.principal_arn,
        "i": claims.principal_id,
        "ia": claims.issuer_arn,
        "ii": claims.issuer_id,
        "iat": _ms(claims.issued_at),
        "exp": _ms(claims.expires_at),
    }
    optional: dict[str, object] = {
        "m": 1 if claims.mfa_authenticated else None,
        "mt": None if claims.mfa_authenticated_at is None else _ms(claims.mfa_authenticated_at),
        "sp": claims.session_policy,
        "pa": list(claims.session_policy_arns) or None,
        "tg": [list(pair) for pair in claims.session_tags] or None,
        "tt": list(claims.transitive_tag_keys) or None,
        "si": claims.source_identity,
        "rc": 1 if claims.role_chained else None,
        "fp": claims.federated_provider,
        "e": claims.revocation_epoch or None,
    }
    doc.update((key, value) for key, value in optional.items() if value is not None)
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _text(doc: dict[str, object], key: str) -> str:
    value = doc[key]
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string")
    return value


def _optional_text(doc: dict[str, object], key: str) -> str | None:
    return _text(doc, key) if key in doc else None


def _texts(doc: dict[str, object], key: str) -> tuple[str, ...]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key} must be a list of strings")
    return tuple(str(item) for item in value)


def _pairs(doc: dict[str, object], key: str) -> tuple[tuple[str, str], ...]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{key} must be a list")
    pairs: list[tuple[str, str]] = []
    for item in value:
        if not (
            isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
        ):
            raise ValueError(f"{key} must be a list of string pairs")
        pairs.append((str(item[0]), str(item[1])))
    return tuple(pairs)


def _flag(doc: dict[str, object], key: str) -> bool:
    value = doc.get(key, 0)
    if value not in (0, 1) or type(value) is not int:
        raise ValueError(f"{key} must be 0 or 1")
    return value == 1


def claims_from_json(data: bytes) -> SessionClaims:
    """The inverse of :func:`claims_to_json`; ValueError (or KeyError) for anything else."""
    doc = json.loads(data)
    if not isinstance(doc, dict) or doc.get("v") != _SCHEMA_VERSION:
        raise ValueError("not a session claims document of a known version")
    epoch = doc.get("e", 0)
    if type(epoch) is not int:
        raise ValueError("e must be an integer")
    return SessionClaims(
        access_key_id=_text(doc, "k"),
        secret_access_key=_text(doc, "s"),
        account_id=_text(doc, "a"),
        kind=SessionKind(_text(doc, "t")),
        principal_arn=_text(doc, "p"),
        principal_id=_text(doc, "i"),
        issuer_arn=_text(doc, "ia"),
        issuer_id=_text(doc, "ii"),
        issued_at=_from_ms(doc["iat"]),
        expires_at=_from_ms(doc["exp"]),
        mfa_authenticated=_flag(doc, "m"),
        mfa_authenticated_at=_from_ms(doc["mt"]) if "mt" in doc else None,
        session_policy=_optional_text(doc, "sp"),
        session_policy_arns=_texts(doc, "pa"),
        session_tags=_pairs(doc, "tg"),
        transitive_tag_keys=_texts(doc, "tt"),
        source_identity=_optional_text(doc, "si"),
        role_chained=_flag(doc, "rc"),
        federated_provider=_optional_text(doc, "fp"),
        revocation_epoch=epoch,
    )


# -- PackedPolicySize ----------------------------------------------------------------------------


def deflate(data: bytes) -> bytes:
    """Raw DEFLATE (RFC 1951) at the best compression level, without zlib's header."""
    compressor = zlib.compressobj(level=9, wbits=-15)
    return compressor.compress(data) + compressor.flush()


def _packed_arn(arn: str, account_id: str) -> str:
    """A policy ARN without what the session implies: partition, service and own account."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return arn
    return parts[5] if parts[4] == account_id else f"{parts[4]}:{parts[5]}"


def packed_policy_bytes(claims: SessionClaims) -> int:
    """The packed size of the session policies and session tags of ``claims``, in bytes."""
    if not (claims.session_policy or claims.session_policy_arns or claims.session_tags):
        return 0
    packed = [
        claims.session_policy or "",
        [_packed_arn(arn, claims.account_id) for arn in claims.session_policy_arns],
        [list(pair) for pair in claims.session_tags],
        list(claims.transitive_tag_keys),
    ]
    text = json.dumps(packed, separators=(",", ":"), ensure_ascii=False)
    return len(deflate(text.encode("utf-8")))


def packed_policy_size_percent(claims: SessionClaims) -> int:
    """AWS's PackedPolicySize (SessionTokenUtilization): the packed session policies and tags
    as a whole percentage of :data:`PACKED_POLICY_LIMIT_BYTES`, rounded up.

    0 without session policies or tags. Over 100 the request must fail with
    PackedPolicyTooLarge.
    """
    return math.ceil(packed_policy_bytes(claims) * 100 / PACKED_POLICY_LIMIT_BYTES)
