"""Service-specific credentials: CreateServiceSpecificCredential,
ListServiceSpecificCredentials, ResetServiceSpecificCredential,
UpdateServiceSpecificCredential, DeleteServiceSpecificCredential ("Service-specific
credentials for IAM users", id_credentials_service-specific-creds; "API keys for AWS services",
id_credentials_api_keys_for_aws_services).

Services (CreateServiceSpecificCredential in the API reference: "You can create
service-specific credentials for Amazon Bedrock, Amazon CloudWatch Logs, CodeCommit and Amazon
Keyspaces (for Apache Cassandra)"): CodeCommit and Keyspaces get a user name and a password;
Bedrock and CloudWatch Logs get a long-term API key (ServiceCredentialAlias and
ServiceCredentialSecret) that may expire (CredentialAgeDays). Two credentials per service per
user. Passwords come from :func:`iamd.credentials.generate_service_password` (256 random bits),
are shown only by Create and Reset, and are kept encrypted.

User names follow AWS's documented form, ``jane-at-123456789012``; the second credential of a
user for a service is ``jane+1-at-123456789012`` (as CodeCommit shows it; inferred). Every error
text here is iamd's: AWS's are not documented.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from iamd.credentials import generate_service_password
from iamd.domain import KeyStatus, ServiceSpecificCredential, User
from iamd.errors import NoSuchEntity, NotSupportedService, ValidationError
from iamd.services.context import Call
from iamd.services.iam.lifecycle import check_quota
from iamd.services.iam.lookups import on_user, require_user, target_user
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, page_result, valid_marker
from iamd.services.iam.ssh_public_keys import settable_status
from iamd.services.registry import AuthzCheck, iam_operation

__all__ = [
    "API_KEY_SERVICES",
    "PASSWORD_SERVICES",
    "create_service_specific_credential",
    "delete_service_specific_credential",
    "list_service_specific_credentials",
    "reset_service_specific_credential",
    "secret_context",
    "update_service_specific_credential",
]

PASSWORD_SERVICES = frozenset({"codecommit.amazonaws.com", "cassandra.amazonaws.com"})
API_KEY_SERVICES: Mapping[str, str] = {
    # service -> prefix of its API keys; Bedrock's long-term keys start "ABSK" (inferred).
    "bedrock.amazonaws.com": "ABSK",
    "logs.amazonaws.com": "",
}
CREDENTIALS_PER_SERVICE = 2


def secret_context(credential_id: str) -> bytes:
    return f"iamd/service-credential/{credential_id}".encode()


def _supported(service_name: str) -> str:
    if service_name not in PASSWORD_SERVICES and service_name not in API_KEY_SERVICES:
        raise NotSupportedService(
            f"The service {service_name} does not support service-specific credentials."
        )
    return service_name


def _user_name_for(user: User, account_id: str, slot: int) -> str:
    suffix = f"+{slot}" if slot else ""
    return f"{user.name}{suffix}-at-{account_id}"


def _metadata(call: Call, credential: ServiceSpecificCredential) -> dict[str, object]:
    api_key = credential.service_name in API_KEY_SERVICES
    status = "Expired" if credential.expired(call.now) else credential.status.value
    return {
        "user_name": credential.user_name,
        "status": status,
        "service_user_name": None if api_key else credential.service_user_name,
        "service_credential_alias": credential.service_user_name if api_key else None,
        "create_date": credential.created_at,
        "expiration_date": credential.expires_at,
        "service_specific_credential_id": credential.id,
        "service_name": credential.service_name,
    }


def _with_secret(
    call: Call, credential: ServiceSpecificCredential, password: str
) -> dict[str, object]:
    out = _metadata(call, credential)
    prefix = API_KEY_SERVICES.get(credential.service_name)
    if prefix is None:
        out["service_password"] = password
    else:
        token = f"{credential.service_user_name}:{password}".encode()
        out["service_credential_secret"] = prefix + base64.b64encode(token).decode("ascii")
    return out


def _service_context(call: Call, params: Mapping[str, Any], action: str) -> Sequence[AuthzCheck]:
    """The user, with iam:ServiceSpecificCredentialServiceName (and AgeDays on create)."""
    (check,) = on_user()(call, params, action)
    context = dict(check.context)
    service = params.get("service_name")
    if service is None and params.get("service_specific_credential_id"):
        found = call.uow.service_credentials.get(
            call.account_id, str(params["service_specific_credential_id"])
        )
        service = found.service_name if found is not None else None
    if service is not None:
        context["iam:servicespecificcredentialservicename"] = (str(service),)
    if params.get("credential_age_days") is not None:
        context["iam:servicespecificcredentialagedays"] = (str(params["credential_age_days"]),)
    return (AuthzCheck(action, check.resource, context),)


@iam_operation("CreateServiceSpecificCredential", write=True, authz=_service_context)
def create_service_specific_credential(
    call: Call, *, user_name: str, service_name: str, credential_age_days: int | None = None
) -> Mapping[str, object]:
    user = require_user(call, user_name)
    _supported(service_name)
    if credential_age_days is not None and service_name not in API_KEY_SERVICES:
        raise ValidationError(
            "CredentialAgeDays is valid only for services that support long-term API keys."
        )
    same_service = [
        c for c in call.uow.service_credentials.for_user(user.id) if c.service_name == service_name
    ]
    check_quota(
        len(same_service), CREDENTIALS_PER_SERVICE, "ServiceSpecificCredentialsPerUserPerService"
    )
    taken = {c.service_user_name for c in same_service}
    slot = next(
        n
        for n in range(CREDENTIALS_PER_SERVICE)
        if _user_name_for(user, call.account_id, n) not in taken
    )
    credential_id = call.deps.ids.unique_id("ACCA")
    password = generate_service_password()
    credential = ServiceSpecificCredential(
        id=credential_id,
        account_id=call.account_id,
        user_id=user.id,
        user_name=user.name,
        service_name=service_name,
        service_user_name=_user_name_for(user, call.account_id, slot),
        secret_ciphertext=call.deps.secrets.encrypt(
            password.encode(), context=secret_context(credential_id)
        ),
        status=KeyStatus.ACTIVE,
        created_at=call.now,
        expires_at=(
            call.now + dt.timedelta(days=credential_age_days) if credential_age_days else None
        ),
    )
    call.uow.service_credentials.add(credential)
    return {"service_specific_credential": _with_secret(call, credential, password)}


@iam_operation("ListServiceSpecificCredentials", write=False, authz=on_user())
def list_service_specific_credentials(
    call: Call,
    *,
    user_name: str | None = None,
    service_name: str | None = None,
    all_users: bool | None = None,
    marker: str | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Mapping[str, object]:
    """One user's credentials (the caller's when no UserName), or with AllUsers every user's in
    the account; the root user has none of its own."""
    if service_name is not None:
        _supported(service_name)
    if all_users:
        if user_name is not None:
            raise ValidationError("AllUsers cannot be specified together with UserName.")
        owner: str | None = None
    else:
        user = target_user(call, user_name)
        if user is None:
            return {"service_specific_credentials": [], "is_truncated": False}
        owner = user.id
    with valid_marker():
        page = call.uow.service_credentials.page(
            call.account_id,
            user_id=owner,
            service_name=service_name,
            marker=marker,
            max_items=max_items,
        )
    return page_result(page, "service_specific_credentials", lambda c: _metadata(call, c))


def _require_credential(
    call: Call, user_name: str | None, credential_id: str
) -> ServiceSpecificCredential:
    user = target_user(call, user_name)
    found = call.uow.service_credentials.get(call.account_id, credential_id)
    if found is None or user is None or found.user_id != user.id:
        raise NoSuchEntity(
            f"The Service Specific Credential with id {credential_id} cannot be found."
        )
    return found


@iam_operation("ResetServiceSpecificCredential", write=True, authz=_service_context)
def reset_service_specific_credential(
    call: Call, *, service_specific_credential_id: str, user_name: str | None = None
) -> Mapping[str, object]:
    """A new password (or API key secret); the previous one stops working at once."""
    found = _require_credential(call, user_name, service_specific_credential_id)
    password = generate_service_password()
    call.uow.service_credentials.set_secret(
        found.id, call.deps.secrets.encrypt(password.encode(), context=secret_context(found.id))
    )
    return {"service_specific_credential": _with_secret(call, found, password)}


@iam_operation("UpdateServiceSpecificCredential", write=True, authz=_service_context)
def update_service_specific_credential(
    call: Call,
    *,
    service_specific_credential_id: str,
    status: str,
    user_name: str | None = None,
) -> None:
    found = _require_credential(call, user_name, service_specific_credential_id)
    call.uow.service_credentials.set_status(found.id, settable_status(status))
    return None


@iam_operation("DeleteServiceSpecificCredential", write=True, authz=_service_context)
def delete_service_specific_credential(
    call: Call, *, service_specific_credential_id: str, user_name: str | None = None
) -> None:
    found = _require_credential(call, user_name, service_specific_credential_id)
    call.uow.service_credentials.delete(found.id)
    return None
