"""Who makes a request ("AWS JSON policy elements: Principal",
reference_policies_elements_principal; "IAM identifiers", reference_identifiers)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

__all__ = ["ANONYMOUS", "Principal", "PrincipalType", "SessionInfo"]


class PrincipalType(enum.Enum):
    """The value of ``aws:PrincipalType`` ("AWS global condition context keys")."""

    ROOT = "Account"
    USER = "User"
    ASSUMED_ROLE = "AssumedRole"
    FEDERATED_USER = "FederatedUser"
    ANONYMOUS = "Anonymous"
    """An unsigned request (AssumeRoleWithWebIdentity, AssumeRoleWithSAML)."""


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What an STS session adds to its principal ("Requesting temporary security credentials",
    id_credentials_temp_request; "Passing session tags in AWS STS", id_session-tags).

    ``kind`` is how the session was made: ``assumed-role``, ``federated-user``,
    ``user-session`` (GetSessionToken by an IAM user) or ``root-session``. ``issuer_arn`` and
    ``issuer_id`` name the role or user whose permissions the session has. ``policy`` and
    ``policy_arns`` are the session policies; ``tags`` the session tags (with inherited
    transitive ones), ``transitive_tag_keys`` those passed on to a chained role session.
    ``federated_provider`` is the identity provider of a web-identity or SAML session.
    """

    kind: str
    issuer_arn: str
    issuer_id: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    mfa_authenticated: bool = False
    mfa_authenticated_at: dt.datetime | None = None
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    transitive_tag_keys: tuple[str, ...] = ()
    source_identity: str | None = None
    role_chained: bool = False
    federated_provider: str | None = None

    @property
    def has_session_policies(self) -> bool:
        return self.policy is not None or bool(self.policy_arns)


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller.

    ``arn`` is what AWS reports (GetCallerIdentity's Arn): ``arn:aws:iam::ID:root``,
    ``arn:aws:iam::ID:user/path/name``, ``arn:aws:sts::ID:assumed-role/role/session``.
    ``user_id`` is ``aws:userid``: the account id for root, ``AIDA…`` for a user,
    ``AROA…:session`` for a role session. ``entity_id`` is the IAM entity the policies come from
    (the user's or role's unique id), None for root.
    """

    type: PrincipalType
    account_id: str
    arn: str
    user_id: str
    access_key_id: str
    name: str | None = None
    entity_id: str | None = None
    path: str = "/"
    session: bool = False
    attributes: tuple[tuple[str, str], ...] = field(default=())
    sts: SessionInfo | None = None
    """The STS session of temporary credentials (None for long-term credentials)."""

    @property
    def is_root(self) -> bool:
        return self.type is PrincipalType.ROOT


ANONYMOUS = Principal(
    type=PrincipalType.ANONYMOUS, account_id="", arn="", user_id="anonymous", access_key_id=""
)
"""The caller of an unsigned request."""
