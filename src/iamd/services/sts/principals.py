"""The principal a session token stands for, and whether its session still stands.

"IAM identifiers" (reference_identifiers) and "Principal key values"
(reference_policies_variables#principaltable):

- an assumed-role session is ``arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`` with user id
  ``AROA…:SESSION`` (the role's path is not in the session ARN);
- a federated user is ``arn:aws:sts::ACCOUNT:federated-user/NAME`` with user id
  ``ACCOUNT:NAME``;
- GetSessionToken keeps the caller's own identity: the IAM user (or the root user), with the
  session's MFA state and issue time.

A session ends early when its issuer is gone ("Deleting the role ends its sessions"; a user
deleted and made again is a new entity with a new id) or when its issuer's revocation epoch has
moved past the one sealed in the token (:func:`revoke_sessions`). Both are read only when the
account's change counter moves, so a request pays nothing for them otherwise.
"""

from __future__ import annotations

from iamd.credentials import SessionClaims, SessionKind
from iamd.domain.principals import Principal, PrincipalType, SessionInfo
from iamd.storage import UnitOfWork

__all__ = [
    "REVOCATION_KEY_PREFIX",
    "assumed_role_arn",
    "federated_user_arn",
    "revocation_epoch",
    "revoke_sessions",
    "session_alive",
    "session_principal",
]

REVOCATION_KEY_PREFIX = "sts-revocation-epoch/"

_TYPES = {
    SessionKind.ASSUMED_ROLE: PrincipalType.ASSUMED_ROLE,
    SessionKind.FEDERATED_USER: PrincipalType.FEDERATED_USER,
    SessionKind.USER_SESSION: PrincipalType.USER,
    SessionKind.ROOT_SESSION: PrincipalType.ROOT,
}


def assumed_role_arn(account_id: str, role_name: str, session_name: str) -> str:
    return f"arn:aws:sts::{account_id}:assumed-role/{role_name}/{session_name}"


def federated_user_arn(account_id: str, name: str) -> str:
    return f"arn:aws:sts::{account_id}:federated-user/{name}"


def _user_path(arn: str) -> str:
    resource = arn.split(":", 5)[-1]  # user/path/name
    parts = resource.split("/")
    return "/" + "/".join(parts[1:-1]) + "/" if len(parts) > 2 else "/"


def session_principal(claims: SessionClaims) -> Principal:
    """The caller a request signed with the session's credentials is made as."""
    kind = claims.kind
    info = SessionInfo(
        kind=kind.value,
        issuer_arn=claims.issuer_arn,
        issuer_id=claims.issuer_id,
        issued_at=claims.issued_at,
        expires_at=claims.expires_at,
        mfa_authenticated=claims.mfa_authenticated,
        mfa_authenticated_at=claims.mfa_authenticated_at,
        policy=claims.session_policy,
        policy_arns=claims.session_policy_arns,
        tags=claims.session_tags,
        transitive_tag_keys=claims.transitive_tag_keys,
        source_identity=claims.source_identity,
        role_chained=claims.role_chained,
        federated_provider=claims.federated_provider,
    )
    root_issued = claims.issuer_id == claims.account_id
    name = claims.principal_arn.rsplit("/", 1)[-1]
    path = "/"
    if kind is SessionKind.USER_SESSION:
        path = _user_path(claims.principal_arn)
    return Principal(
        type=_TYPES[kind],
        account_id=claims.account_id,
        arn=claims.principal_arn,
        user_id=claims.principal_id,
        access_key_id=claims.access_key_id,
        name=None if kind is SessionKind.ROOT_SESSION else name,
        entity_id=None if root_issued else claims.issuer_id,
        path=path,
        session=True,
        sts=info,
    )


def revocation_epoch(uow: UnitOfWork, account_id: str, issuer_id: str) -> int:
    """The issuer's current revocation epoch (0 until :func:`revoke_sessions` is called)."""
    value = uow.account_settings.get(account_id, REVOCATION_KEY_PREFIX + issuer_id)
    return int(value) if value is not None and value.isdigit() else 0


def revoke_sessions(uow: UnitOfWork, account_id: str, issuer_id: str) -> int:
    """Ends every session the role or user ``issuer_id`` has issued so far; later sessions are
    unaffected. The caller must hold the account's write lock (``uow.lock_account``), which also
    moves the change counter every node's cache compares against. Returns the new epoch."""
    epoch = revocation_epoch(uow, account_id, issuer_id) + 1
    uow.account_settings.put(account_id, REVOCATION_KEY_PREFIX + issuer_id, str(epoch))
    return epoch


def session_alive(uow: UnitOfWork, claims: SessionClaims) -> bool:
    """Whether the session's issuer still exists and has not revoked it."""
    account = claims.account_id
    if claims.kind is SessionKind.ASSUMED_ROLE:
        if uow.roles.get_by_id(account, claims.issuer_id) is None:
            return False
    elif claims.issuer_id != account and uow.users.get_by_id(account, claims.issuer_id) is None:
        return False
    return revocation_epoch(uow, account, claims.issuer_id) <= claims.revocation_epoch
