"""Role trust policies hold the users and roles they name by unique id ("IAM JSON policy
elements: Principal", reference_policies_elements_principal).

"If your Principal element in a role trust policy contains an ARN that points to a specific IAM
role, then that ARN transforms to the role unique principal ID when you save the policy [...]
IAM uses a reverse transformation back to the role ARN when the trust policy is displayed.
However, if you delete the role, then you break the relationship. The policy no longer applies,
even if you recreate the role [...] the principal ID appears in resource-based policies because
AWS can no longer map it back to a valid ARN." The same holds for a user.

iamd keeps the trust policy's text as written and, beside it, the unique id of each user and
role it names (``Role.trust_principal_ids``, recorded by :func:`checked_role_trust_policy` when
CreateRole or UpdateAssumeRolePolicy stores the policy). :func:`trust_policy_now` writes the
policy as of now: each recorded ARN becomes the current ARN of the entity with that id (a
renamed user: "Any resource or role policies that refer to the user as a principal [...] are
automatically updated to use the new name or path", id_users_manage), or the id itself when
that entity is gone. That text is what GetRole, ListRoles, GetAccountAuthorizationDetails and
instance profiles show and what AssumeRole evaluates; an id matches no caller. It costs one
lookup by primary key per recorded principal, nothing for a role that records none.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from iamd.arn import Arn, ArnError
from iamd.domain import Role, is_account_id
from iamd.errors import MalformedPolicyDocument
from iamd.policy import PolicyDocument, replace_aws_principals
from iamd.services.context import Call
from iamd.services.iam.documents import checked_trust_policy
from iamd.services.iam.role_lookups import role_by_arn
from iamd.storage import UnitOfWork

__all__ = [
    "CheckedTrust",
    "checked_role_trust_policy",
    "role_as_of_now",
    "trust_policy_now",
]


@dataclass(frozen=True, slots=True)
class CheckedTrust:
    """A trust policy fit to store, and (ARN as written, unique id) of each user and role it
    names, in document order without repeats."""

    document: PolicyDocument
    principal_ids: tuple[tuple[str, str], ...]


def checked_role_trust_policy(call: Call, text: str) -> CheckedTrust:
    """A trust policy as the policy engine validates it, whose ``AWS`` principals exist.

    AWS turns a user or role ARN in a trust policy into that entity's unique id when it saves
    the policy, so it refuses an ARN that names no entity with MalformedPolicyDocument
    ``Invalid principal in policy: "AWS":"<arn>"`` (AWS's answer quoted in
    hashicorp/terraform-provider-aws#8905 and opstrace/opstrace#88). Account ids,
    ``arn:aws:iam::<id>:root`` and ``*`` name no entity and pass. iamd's world is its own
    accounts: an ARN of a user or role that is not in this server — in any account it holds, or
    in an account it does not hold — is refused the same way. Session ARNs
    (``arn:aws:sts::<id>:assumed-role/...``, ``federated-user/...``) pass.
    """
    document = checked_trust_policy(text)
    ids: dict[str, str] = {}
    for statement in document.statements:
        for element in (statement.principal, statement.not_principal):
            if element is None:
                continue
            for value in element.aws:
                entity_id = _principal_entity(call, value)
                if entity_id is None:
                    raise MalformedPolicyDocument(f'Invalid principal in policy: "AWS":"{value}"')
                if entity_id:
                    ids[value] = entity_id
    return CheckedTrust(document, tuple(ids.items()))


def _principal_entity(call: Call, value: str) -> str | None:
    """The unique id of the user or role ``value`` names; ``""`` for a principal that is no
    such entity (``*``, an account, a session); None for one that does not exist."""
    if value == "*" or is_account_id(value):
        return ""
    try:
        arn = Arn.parse(value)
    except ArnError:
        return None
    if arn.partition != "aws" or arn.region or not is_account_id(arn.account):
        return None
    kind, _, rest = arn.resource.partition("/")
    if arn.service == "sts":
        return "" if kind in ("assumed-role", "federated-user") and rest else None
    if arn.service != "iam":
        return None
    if arn.resource == "root":
        return ""
    if kind == "user":
        user = call.uow.users.get(arn.account, rest.rsplit("/", 1)[-1])
        return user.id if user is not None and user.arn == value else None
    if kind == "role":
        role = role_by_arn(call.uow, value)
        return role.id if role is not None else None
    return None


def trust_policy_now(uow: UnitOfWork, role: Role) -> str:
    """The role's trust policy as IAM shows and evaluates it now: each recorded user or role
    ARN replaced, in the Principal and NotPrincipal elements, by the current ARN of the entity
    with the recorded id, or by that id when the entity is gone. The stored text itself when
    nothing changed (always for a role that records no principal)."""
    if not role.trust_principal_ids:
        return role.assume_role_policy
    replacements: dict[str, str] = {}
    for arn, unique_id in role.trust_principal_ids:
        now = _current_arn(uow, arn, unique_id) or unique_id
        if now != arn:
            replacements[arn] = now
    return replace_aws_principals(role.assume_role_policy, replacements)


def _current_arn(uow: UnitOfWork, arn: str, unique_id: str) -> str | None:
    """The ARN of the user or role with ``unique_id`` in the account of ``arn`` (the kind of
    entity ``arn`` names), None when there is none."""
    parsed = Arn.parse(arn)
    if parsed.resource.startswith("user/"):
        user = uow.users.get_by_id(parsed.account, unique_id)
        return user.arn if user is not None else None
    role = uow.roles.get_by_id(parsed.account, unique_id)
    return role.arn if role is not None else None


def role_as_of_now(uow: UnitOfWork, role: Role) -> Role:
    """``role`` with its trust policy as of now (:func:`trust_policy_now`), to answer with."""
    if not role.trust_principal_ids:
        return role
    return dataclasses.replace(role, assume_role_policy=trust_policy_now(uow, role))
