"""GetCallerIdentity (STS API Reference): who the credentials belong to. AWS answers it for
any valid credentials without asking a policy, even an explicit deny."""

from __future__ import annotations

from collections.abc import Mapping

from iamd.services.context import Call
from iamd.services.registry import sts_operation

__all__ = ["get_caller_identity"]


@sts_operation("GetCallerIdentity", authorized=False)
def get_caller_identity(call: Call) -> Mapping[str, object]:
    caller = call.caller
    return {"user_id": caller.user_id, "account": caller.account_id, "arn": caller.arn}
