"""AWS's checks on a policy whose grammar is sound, in the order AWS applies them.

The messages are AWS's MalformedPolicyDocument texts (as IAM answers CreatePolicy,
PutUserPolicy, CreateRole and UpdateAssumeRolePolicy); the first problem found wins:

1. ``Policy document must be version 2012-10-17 or greater.`` (managed policies only)
2. ``The policy failed legacy parsing`` (Effect not exactly Allow/Deny, a bad date in a Date
   condition, a resource with too few ARN fields or no service)
3. ``Statement IDs (SID) in a single policy must be unique.``
4. ``Policy statement must contain actions.``
5. the first resource-format error (``Resource x must be in ARN format or "*".``, …)
6. action vendors (``Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2,
   etc.``, ``Actions/Condition can contain only one colon.``, ``Vendor x is not valid``)
7. by kind of policy: principals (``Policy document should not specify a principal.``,
   ``Invalid principal in policy: …``), trust-policy actions and resources, and
   ``Policy statement must contain resources.``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iamd.policy.conditions import parse_date, parse_operator
from iamd.policy.errors import PolicyError
from iamd.policy.model import Condition, PolicyKind, PrincipalElement
from iamd.policy.principal_ids import is_principal_id
from iamd.policy.wildcard import compile_wildcard

__all__ = ["TRUST_ACTIONS", "RawStatement", "validate"]

PARTITIONS = frozenset(
    {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}
)
IAM_RESOURCE_PREFIXES = (
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
)
TRUST_ACTIONS = (
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
)
_VENDOR = re.compile(r"[a-zA-Z0-9\-.]*")
_ACCOUNT = re.compile(r"[0-9]{12}")

MSG_VERSION = "Policy document must be version 2012-10-17 or greater."
MSG_LEGACY = "The policy failed legacy parsing"
MSG_SID = "Statement IDs (SID) in a single policy must be unique."
MSG_ACTIONS = "Policy statement must contain actions."
MSG_RESOURCES = "Policy statement must contain resources."
MSG_NO_PRINCIPAL = "Policy document should not specify a principal."
MSG_MISSING_PRINCIPAL = "Missing required field Principal"
MSG_TRUST_NO_PRINCIPAL = (
    "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: "
    "The passed in policy has a statement with no principals!"
)
MSG_TRUST_ACTIONS = (
    "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  "
    "and sts:AssumeRoleWithWebIdentity"
)
MSG_TRUST_RESOURCE = "Has prohibited field Resource."
MSG_VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
MSG_COLON = "Actions/Condition can contain only one colon."


@dataclass(frozen=True, slots=True)
class RawStatement:
    """A statement whose shapes are checked, before AWS's semantic checks."""

    sid: str | None
    effect: str
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    principal: PrincipalElement | None
    not_principal: PrincipalElement | None
    conditions: tuple[Condition, ...]


def _resource_error(resource: str) -> str | None:
    """The format error AWS reports for one Resource value, if any."""
    if resource == "*":
        return None
    _, colon, rest = resource.partition(":")
    if not colon:
        return f'Resource {resource} must be in ARN format or "*".'
    partition, colon, rest = rest.partition(":")
    if partition != "*" and partition not in PARTITIONS:
        parts = rest.split(":")
        pad = [parts[0] if parts[0] or len(parts) > 1 else "*"]
        pad.append(parts[1] if len(parts) > 1 else "*")
        pad.append(parts[2] if len(parts) > 2 else "*")
        pad.append(":".join(parts[3:]) if len(parts) > 3 else "*")
        return (
            f'Partition "{partition}" is not valid for resource "arn:{partition}:{":".join(pad)}".'
        )
    if not colon:
        return "Resource vendor must be fully qualified and cannot contain regexes."
    service, _, rest = rest.partition(":")
    region, _, rest = rest.partition(":")
    _, _, resource_id = rest.partition(":")
    if service == "iam" and region:
        return f"IAM resource {resource} cannot contain region information."
    if service == "s3" and region and not resource_id.startswith("accesspoint/"):
        return f"Resource {resource} can not contain region information."
    if service == "iam" and not _iam_path_ok(resource_id):
        listed = ", ".join(IAM_RESOURCE_PREFIXES)
        return f'IAM resource path must either be "*" or start with {listed}.'
    return None


def _iam_path_ok(resource_id: str) -> bool:
    if resource_id.startswith(("*", "${")):
        return True
    head = resource_id
    for mark in ("*", "?"):
        head = head.split(mark, 1)[0]
    if head != resource_id:  # a wildcard: the text before it must lead to a known prefix
        return any(p.startswith(head) or head.startswith(p) for p in IAM_RESOURCE_PREFIXES)
    return resource_id.startswith(IAM_RESOURCE_PREFIXES)


def _legacy_resource_ok(resource: str) -> bool:
    if resource == "*":
        return True
    if resource.count(":") < 5 and "::" in resource:
        return False
    parts = resource.split(":")
    return len(parts) > 2 and parts[2] != ""


def _legacy_conditions_ok(conditions: tuple[Condition, ...]) -> bool:
    for condition in conditions:
        spec = parse_operator(condition.operator)
        is_date = spec is not None and spec.family.startswith("date_")
        if is_date and any(parse_date(v) is None for v in condition.values):
            return False
    return True


def _action_error(action: str) -> str | None:
    if action == "*":
        return None
    parts = action.split(":")
    if len(parts) == 1:
        return MSG_VENDOR
    if len(parts) > 2:
        return MSG_COLON
    if parts[0] != "*" and not _VENDOR.fullmatch(parts[0]):
        return f"Vendor {parts[0]} is not valid"
    return None


def _principal_error(element: PrincipalElement, unique_ids: bool) -> str | None:
    for value in element.aws:
        if value == "*" or _ACCOUNT.fullmatch(value) or value.startswith("arn:"):
            continue
        if unique_ids and is_principal_id(value):
            continue
        return f'Invalid principal in policy: "AWS":"{value}"'
    return None


def _check_formats(raws: list[RawStatement]) -> str | None:
    """Legacy parsing (raised at once) and the resource-format error to report (returned)."""
    resource_error: str | None = None
    for raw in raws:
        if raw.effect not in ("Allow", "Deny") or not _legacy_conditions_ok(raw.conditions):
            raise PolicyError(MSG_LEGACY)
    for raw in raws:
        for values in (raw.resources, raw.not_resources):
            if values is None:
                continue
            for resource in sorted(values, reverse=True):
                error = _resource_error(resource)
                if error is not None:  # AWS reports the last one it meets
                    resource_error = error
            if resource_error is None and not all(_legacy_resource_ok(r) for r in values):
                raise PolicyError(MSG_LEGACY)
    return resource_error


def _check_kind(raws: list[RawStatement], kind: PolicyKind, unique_ids: bool) -> None:
    has_principal = kind in (PolicyKind.RESOURCE, PolicyKind.TRUST)
    for raw in raws:
        element = raw.principal or raw.not_principal
        if not has_principal and element is not None:
            raise PolicyError(MSG_NO_PRINCIPAL)
        if has_principal and element is None:
            raise PolicyError(
                MSG_TRUST_NO_PRINCIPAL if kind is PolicyKind.TRUST else MSG_MISSING_PRINCIPAL
            )
        if element is not None:
            error = _principal_error(element, unique_ids)
            if error is not None:
                raise PolicyError(error)
    if kind is PolicyKind.TRUST:
        allowed = tuple(a.lower() for a in TRUST_ACTIONS)
        for raw in raws:
            for action in raw.actions or ():
                pattern = compile_wildcard(action.lower())
                if not any(pattern.matches(a) for a in allowed):
                    raise PolicyError(MSG_TRUST_ACTIONS)
        if any(raw.resources is not None or raw.not_resources is not None for raw in raws):
            raise PolicyError(MSG_TRUST_RESOURCE)
        return
    for raw in raws:
        if not (raw.resources or raw.not_resources):
            raise PolicyError(MSG_RESOURCES)


def validate(
    raws: list[RawStatement], kind: PolicyKind, version: str | None, *, unique_ids: bool = False
) -> None:
    """Raise :class:`PolicyError` with AWS's message for the first problem, in AWS's order.
    With ``unique_ids`` an ``AWS`` principal may be a user's or role's unique id, as in a stored
    trust policy whose principal no longer exists (:mod:`iamd.policy.principal_ids`)."""
    if kind is PolicyKind.MANAGED and version != "2012-10-17":
        raise PolicyError(MSG_VERSION)
    resource_error = _check_formats(raws)
    sids = [raw.sid for raw in raws if raw.sid]
    if len(sids) != len(set(sids)):
        raise PolicyError(MSG_SID)
    if not all(raw.actions or raw.not_actions for raw in raws):
        raise PolicyError(MSG_ACTIONS)
    if resource_error is not None:
        raise PolicyError(resource_error)
    for raw in raws:
        for action in (*(raw.actions or ()), *(raw.not_actions or ())):
            error = _action_error(action)
            if error is not None:
                raise PolicyError(error)
    _check_kind(raws, kind, unique_ids)
