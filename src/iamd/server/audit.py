"""One audit record per request, with CloudTrail's field names ("Logging IAM and AWS STS API
calls with AWS CloudTrail", cloudtrail-integration; the CloudTrail record contents and
userIdentity element of the AWS CloudTrail User Guide).

A record holds who made the request (``userIdentity``), what was asked (``eventSource``,
``eventName``, ``requestParameters``), what came of it (``responseElements``, ``errorCode``,
``errorMessage``) and iamd's own explanation of the decision under ``iamd``: for each question
put to the policy engine, the action, the resource, the decision, the statements that decided it
and the condition keys the request did not have.

No secret ever reaches a record: parameters and results pass through the protocol's redaction
(every shape botocore marks ``sensitive``) and then through a list of member names that carry
secrets or one-time codes without being marked so (STS ``SessionToken``, MFA codes), all shown
as ``HIDDEN_DUE_TO_SECURITY_REASONS``. As CloudTrail does, ``responseElements`` is null for
read-only calls and for failures.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence

from iamd.domain import Principal, PrincipalType
from iamd.policy import Decision
from iamd.server.pipeline import Evaluation, Outcome

__all__ = [
    "EVENT_VERSION",
    "HIDDEN",
    "MAX_AGENT",
    "MAX_NAME",
    "audit_line",
    "audit_record",
    "camel_case",
    "evaluations_of",
    "json_default",
    "scrub",
    "user_identity",
]

EVENT_VERSION = "1.09"
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"
MAX_NAME = 128  # an Action or a header is the client's text: bounded in the log
MAX_AGENT = 1024

# Members that carry a secret or a one-time code although botocore does not mark them
# ``sensitive`` (snake_case, as parsed): masked whatever the model says.
_ALWAYS_HIDDEN = frozenset(
    {
        "session_token",  # STS Credentials.SessionToken ('tokenType' is not sensitive)
        "secret_access_key",
        "password",
        "old_password",
        "new_password",
        "private_key",
        "base32_string_seed",
        "qr_code_png",
        "token_code",  # the MFA code of GetSessionToken / AssumeRole
        "authentication_code1",  # EnableMFADevice / ResyncMFADevice
        "authentication_code2",
        "service_password",
        "saml_assertion",
        "web_identity_token",
    }
)

_TYPES = {
    PrincipalType.ROOT: "Root",
    PrincipalType.USER: "IAMUser",
    PrincipalType.ASSUMED_ROLE: "AssumedRole",
    PrincipalType.FEDERATED_USER: "FederatedUser",
}


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def camel_case(name: str) -> str:
    """``user_name`` -> ``userName``: CloudTrail's spelling of parameter names."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def scrub(value: object) -> object:
    """A JSON-ready copy with CloudTrail's key spelling and every secret member masked."""
    if isinstance(value, Mapping):
        out: dict[str, object] = {}
        for key, item in value.items():
            name = str(key)
            if name in _ALWAYS_HIDDEN and item is not None:
                out[camel_case(name)] = HIDDEN
            else:
                out[camel_case(name)] = scrub(item)
        return out
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    if isinstance(value, dt.datetime):
        return _time(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _session_context(caller: Principal) -> dict[str, object] | None:
    """``sessionContext`` of temporary credentials: when and how they were issued, and the role
    or user that issued them (``sessionIssuer``)."""
    session = caller.sts
    if session is None:
        return None
    issuer_arn = session.issuer_arn
    issuer: dict[str, object] = {
        "type": "Role"
        if ":role/" in issuer_arn
        else "IAMUser"
        if ":user/" in issuer_arn
        else "Root",
        "principalId": session.issuer_id,
        "arn": issuer_arn,
        "accountId": caller.account_id,
    }
    if ":role/" in issuer_arn or ":user/" in issuer_arn:
        issuer["userName"] = issuer_arn.rsplit("/", 1)[-1]
    context: dict[str, object] = {
        "sessionIssuer": issuer,
        "attributes": {
            "creationDate": _time(session.issued_at),
            "mfaAuthenticated": "true" if session.mfa_authenticated else "false",
        },
    }
    if session.source_identity:
        context["sourceIdentity"] = session.source_identity
    return context


def user_identity(caller: Principal | None, access_key_id: str | None) -> dict[str, object]:
    """CloudTrail's ``userIdentity`` of the caller; ``Unknown`` when it was not authenticated
    (CloudTrail's type for an identity it cannot determine)."""
    kind = _TYPES.get(caller.type) if caller is not None else None
    if caller is None or kind is None:  # unauthenticated, or an unsigned request
        unknown: dict[str, object] = {"type": "Unknown"}
        if access_key_id:
            unknown["accessKeyId"] = access_key_id[:MAX_NAME]
        return unknown
    identity: dict[str, object] = {
        "type": kind,
        "principalId": caller.user_id,
        "arn": caller.arn,
        "accountId": caller.account_id,
        "accessKeyId": caller.access_key_id,
    }
    if caller.type is PrincipalType.USER and caller.name is not None:
        identity["userName"] = caller.name
    context = _session_context(caller)
    if context is not None:
        identity["sessionContext"] = context
    return identity


def _statements(decision: Decision) -> list[dict[str, object]]:
    return [
        {
            "policyId": ref.policy_id,
            "policyType": ref.policy_type.value,
            "sourcePolicyType": ref.source_type,
            "statementIndex": ref.index,
            "sid": ref.sid,
        }
        for ref in decision.matched
    ]


def evaluations_of(evaluations: Sequence[Evaluation]) -> list[dict[str, object]]:
    out = []
    for evaluation in evaluations:
        decision = evaluation.decision
        entry: dict[str, object] = {
            "action": evaluation.action,
            "resource": evaluation.resource,
            "decision": decision.decision.value,
            "matchedStatements": _statements(decision),
        }
        if decision.missing_context_keys:
            entry["missingContextKeys"] = list(decision.missing_context_keys)
        if decision.denied_by is not None:
            entry["deniedBy"] = decision.denied_by.value
        if decision.allowed_by_boundary is not None:
            entry["allowedByPermissionsBoundary"] = decision.allowed_by_boundary
        out.append(entry)
    return out


def audit_record(outcome: Outcome, *, event_id: str | None = None) -> dict[str, object]:
    """The CloudTrail-shaped record of one request (see the module docstring)."""
    service = outcome.service or "iam"
    caller = outcome.caller
    succeeded = outcome.error_code is None
    record: dict[str, object] = {
        "eventVersion": EVENT_VERSION,
        "userIdentity": user_identity(caller, outcome.access_key_id),
        "eventTime": _time(outcome.event_time or dt.datetime.now(dt.UTC)),
        "eventSource": f"{service}.amazonaws.com",
        "eventName": (outcome.operation or "")[:MAX_NAME],
        "awsRegion": outcome.region or "us-east-1",
        "sourceIPAddress": outcome.source_ip,
        "userAgent": outcome.user_agent[:MAX_AGENT],
    }
    if not succeeded:
        record["errorCode"] = outcome.error_code
        record["errorMessage"] = outcome.error_message
    record["requestParameters"] = scrub(outcome.params) if outcome.params else None
    record["responseElements"] = (
        scrub(outcome.response)
        if succeeded and outcome.read_only is False and outcome.response is not None
        else None
    )
    record["requestID"] = outcome.request_id
    record["eventID"] = event_id or str(uuid.uuid4())
    record["readOnly"] = outcome.read_only
    record["eventType"] = "AwsApiCall"
    record["managementEvent"] = True
    record["recipientAccountId"] = outcome.account_id or None
    record["eventCategory"] = "Management"
    record["iamd"] = {
        "httpStatus": outcome.status,
        "decision": outcome.decision,
        "evaluations": evaluations_of(outcome.evaluations),
    }
    return record


def json_default(value: object) -> object:
    if isinstance(value, dt.datetime):
        return _time(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return str(value)


def audit_line(record: Mapping[str, object]) -> bytes:
    """One JSON line (UTF-8, newline-terminated)."""
    return (json.dumps(record, separators=(",", ":"), default=json_default) + "\n").encode()
