"""A role session, once its caller is trusted: the claims, the credentials, ``AssumedRoleUser``
and the role's last use (AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML; STS API
Reference, ``AssumedRoleUser``: ``arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`` and
``AROA…:SESSION``).

GetRole's ``RoleLastUsed`` is recorded in a short write transaction of its own, at most once a
minute per role and Region: the operation stays read-only, and a burst of AssumeRole calls is
not a burst of writes. AWS itself documents the date as approximate ("tracking period").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from iamd.credentials import SessionClaims, SessionKind
from iamd.domain import Role
from iamd.services.context import Call
from iamd.services.sts.issuing import credentials_result, expiry, session_key_id
from iamd.services.sts.principals import assumed_role_arn, revocation_epoch
from iamd.services.sts.session_inputs import SessionTags

__all__ = ["LAST_USED_GRANULARITY", "RoleSession", "issue_role_session"]

LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class RoleSession:
    """What a new role session is made of, beyond the role and its name."""

    seconds: int
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()
    tags: SessionTags = field(default_factory=SessionTags)
    source_identity: str | None = None
    mfa_at: dt.datetime | None = None
    chained: bool = False
    federated_provider: str | None = None


def issue_role_session(
    call: Call, role: Role, session_name: str, session: RoleSession
) -> dict[str, object]:
    """The output common to the AssumeRole* operations for a new session of ``role``."""
    deps, now = call.deps, call.now
    claims = SessionClaims(
        access_key_id=session_key_id(deps.ids, role.account_id),
        secret_access_key=deps.ids.secret_access_key(),
        account_id=role.account_id,
        kind=SessionKind.ASSUMED_ROLE,
        principal_arn=assumed_role_arn(role.account_id, role.name, session_name),
        principal_id=f"{role.id}:{session_name}",
        issuer_arn=role.arn,
        issuer_id=role.id,
        issued_at=now,
        expires_at=expiry(now, session.seconds),
        mfa_authenticated=session.mfa_at is not None,
        mfa_authenticated_at=session.mfa_at,
        session_policy=session.policy,
        session_policy_arns=session.policy_arns,
        session_tags=session.tags.tags,
        transitive_tag_keys=session.tags.transitive_keys,
        source_identity=session.source_identity,
        role_chained=session.chained,
        federated_provider=session.federated_provider,
        revocation_epoch=revocation_epoch(call.uow, role.account_id, role.id),
    )
    result = credentials_result(deps, claims)
    _record_use(call, role)
    result["assumed_role_user"] = {
        "assumed_role_id": claims.principal_id,
        "arn": claims.principal_arn,
    }
    result["source_identity"] = session.source_identity
    return result


def _record_use(call: Call, role: Role) -> None:
    region = call.request.region
    last = role.last_used_at
    recent = last is not None and call.now - last < LAST_USED_GRANULARITY
    if recent and role.last_used_region == region:
        return
    with call.deps.store.unit_of_work(write=True) as uow:
        uow.roles.record_use(role.id, call.now, region)
