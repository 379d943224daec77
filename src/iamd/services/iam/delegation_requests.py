"""IAM temporary delegation: delegation requests (Create/Get/List/Accept/Associate/Reject/Update
DelegationRequest, SendDelegationToken) and GetHumanReadableSummary ("IAM temporary
delegation", access_policies-temporary-delegation; "IAM temporary delegation for AWS Partners",
access_policies-temporary-delegation-partner-guide).

On AWS, delegation requests are created only by AWS products and AWS Partners that went through
an onboarding programme, name AWS-owned policy templates, and send their exchange token over
Amazon SNS. iamd has no partners, policy templates or SNS, so no delegation request can exist:

- CreateDelegationRequest is refused with InvalidInput, saying why (AWS's answer to a caller
  that is not onboarded is not public);
- ListDelegationRequests answers an empty list, and every operation on one request answers
  NoSuchEntity — exactly what AWS answers an account that has received none;
- GetHumanReadableSummary supports only delegation requests (as on AWS), so it is NoSuchEntity
  for a delegation-request ARN and InvalidInput for any other entity.

The texts are iamd's own. Decisions recorded in docs/api-coverage.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.arn import Arn, ArnError
from iamd.errors import InvalidInput, NoSuchEntity
from iamd.services.context import Call
from iamd.services.iam.arn_params import on_arn
from iamd.services.registry import AuthzCheck, ResourceResolver, iam_operation

__all__ = [
    "accept_delegation_request",
    "associate_delegation_request",
    "create_delegation_request",
    "get_delegation_request",
    "get_human_readable_summary",
    "list_delegation_requests",
    "reject_delegation_request",
    "send_delegation_token",
    "update_delegation_request",
]


def _on_request() -> ResourceResolver:
    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        request_id = params["delegation_request_id"]
        return (
            AuthzCheck(action, f"arn:aws:iam::{call.account_id}:delegation-request/{request_id}"),
        )

    return resolve


def _not_found(request_id: str) -> NoSuchEntity:
    return NoSuchEntity(f"The delegation request {request_id} cannot be found.")


@iam_operation("CreateDelegationRequest", write=True)
def create_delegation_request(call: Call, **request: object) -> Mapping[str, object]:
    raise InvalidInput(
        "Delegation requests are created by AWS Partners onboarded for IAM temporary "
        "delegation; this server has no onboarded partners or policy templates."
    )


@iam_operation("GetDelegationRequest", write=False, authz=_on_request())
def get_delegation_request(
    call: Call, *, delegation_request_id: str, delegation_permission_check: bool | None = None
) -> Mapping[str, object]:
    raise _not_found(delegation_request_id)


@iam_operation("ListDelegationRequests", write=False)
def list_delegation_requests(
    call: Call, *, owner_id: str | None = None, marker: str | None = None, max_items: int = 100
) -> Mapping[str, object]:
    return {"delegation_requests": [], "is_truncated": False}


@iam_operation("AcceptDelegationRequest", write=True, authz=_on_request())
def accept_delegation_request(call: Call, *, delegation_request_id: str) -> None:
    raise _not_found(delegation_request_id)


@iam_operation("AssociateDelegationRequest", write=True, authz=_on_request())
def associate_delegation_request(call: Call, *, delegation_request_id: str) -> None:
    raise _not_found(delegation_request_id)


@iam_operation("RejectDelegationRequest", write=True, authz=_on_request())
def reject_delegation_request(
    call: Call, *, delegation_request_id: str, notes: str | None = None
) -> None:
    raise _not_found(delegation_request_id)


@iam_operation("UpdateDelegationRequest", write=True, authz=_on_request())
def update_delegation_request(
    call: Call, *, delegation_request_id: str, notes: str | None = None
) -> None:
    raise _not_found(delegation_request_id)


@iam_operation("SendDelegationToken", write=True, authz=_on_request())
def send_delegation_token(call: Call, *, delegation_request_id: str) -> None:
    raise _not_found(delegation_request_id)


@iam_operation("GetHumanReadableSummary", write=False, authz=on_arn("entity_arn"))
def get_human_readable_summary(
    call: Call, *, entity_arn: str, locale: str | None = None
) -> Mapping[str, object]:
    try:
        parsed = Arn.parse(entity_arn)
    except ArnError:
        raise InvalidInput(f"ARN {entity_arn} is not valid.") from None
    if parsed.service != "iam" or parsed.resource_type != "delegation-request":
        raise InvalidInput("Only delegation-request entities have a human readable summary.")
    raise _not_found(parsed.resource.split("/", 1)[-1])
