"""Requests that name an IAM resource by its ARN (identity providers, delegation requests,
role templates): the ARN checked as IAM checks it, and the resource the policy engine is asked
about."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.arn import Arn, ArnError
from iamd.errors import InvalidInput
from iamd.services.context import Call
from iamd.services.registry import AuthzCheck, ResourceResolver

__all__ = ["checked_arn", "on_arn"]


def checked_arn(arn: str, resource_type: str) -> Arn:
    """``arn`` parsed, when it is an IAM ARN of ``resource_type`` (``oidc-provider``, …); else
    AWS's InvalidInput for an ARN it cannot use."""
    try:
        parsed = Arn.parse(arn)
    except ArnError:
        raise InvalidInput(f"ARN {arn} is not valid.") from None
    if parsed.service != "iam" or not parsed.resource.startswith(resource_type + "/"):
        raise InvalidInput(f"ARN {arn} is not valid.")
    return parsed


def on_arn(param: str) -> ResourceResolver:
    """The resource named by the ARN in ``param``, as given."""

    def resolve(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
        return (AuthzCheck(action, str(params[param])),)

    return resolve
