"""Account-wide operations: the account alias, GetAccountSummary, the STS token version and the
account properties ("Your AWS account ID and its alias" in the Sign-In User Guide;
"IAM and AWS STS quotas", reference_iam-quotas; SetSecurityTokenServicePreferences and
Get/PutAccountProperties in the IAM API Reference).

Aliases are unique across the whole server, as across AWS. An account has at most one:
CreateAccountAlias with a new name replaces the one the account holds — AWS's behaviour,
observed on a live account (floci-io/floci#2103); ``The account alias … already exists.`` is
AWS's text (awslabs/aws-deployment-framework#465). The DeleteAccountAlias NoSuchEntity text and
the 12-digit refusal text are iamd's own.
"""

from __future__ import annotations

from collections.abc import Mapping

from iamd.domain import is_account_id, summary_map
from iamd.errors import EntityAlreadyExists, InvalidInput, NoSuchEntity, ValidationError
from iamd.services.context import Call
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS
from iamd.services.registry import iam_operation

__all__ = [
    "STS_TOKEN_VERSION_KEY",
    "create_account_alias",
    "delete_account_alias",
    "get_account_properties",
    "get_account_summary",
    "global_endpoint_token_version",
    "list_account_aliases",
    "put_account_properties",
    "set_security_token_service_preferences",
]

STS_TOKEN_VERSION_KEY = "sts/global-endpoint-token-version"  # noqa: S105 - a setting name


@iam_operation("CreateAccountAlias", write=True)
def create_account_alias(call: Call, *, account_alias: str) -> None:
    """The model's pattern already holds the alias to 3 to 63 lower-case letters, digits and
    single hyphens, not at either end; the quotas page adds "it cannot be a 12-digit number"."""
    if is_account_id(account_alias):
        raise ValidationError("The account alias cannot be a 12-digit number.")
    if call.uow.account_aliases.owner(account_alias) is not None:
        raise EntityAlreadyExists(f"The account alias {account_alias} already exists.")
    call.uow.account_aliases.put(call.account_id, account_alias)
    return None


@iam_operation("DeleteAccountAlias", write=True)
def delete_account_alias(call: Call, *, account_alias: str) -> None:
    if call.uow.account_aliases.get(call.account_id) != account_alias:
        raise NoSuchEntity(f"The account alias {account_alias} cannot be found.")
    call.uow.account_aliases.delete(call.account_id)
    return None


@iam_operation("ListAccountAliases", write=False)
def list_account_aliases(
    call: Call, *, marker: str | None = None, max_items: int = DEFAULT_MAX_ITEMS
) -> Mapping[str, object]:
    """An account has at most one alias: one page, never truncated."""
    alias = call.uow.account_aliases.get(call.account_id)
    return {"account_aliases": [alias] if alias else [], "is_truncated": False}


def global_endpoint_token_version(call: Call) -> int:
    """1 or 2: the session token version set with SetSecurityTokenServicePreferences (v1Token by
    default, as on AWS)."""
    value = call.uow.account_settings.get(call.account_id, STS_TOKEN_VERSION_KEY)
    return 2 if value == "v2Token" else 1


@iam_operation("GetAccountSummary", write=False)
def get_account_summary(call: Call) -> Mapping[str, object]:
    counts = call.uow.account_reports.counts(call.account_id)
    return {
        "summary_map": summary_map(counts, call.deps.quotas, global_endpoint_token_version(call))
    }


@iam_operation("SetSecurityTokenServicePreferences", write=True)
def set_security_token_service_preferences(
    call: Call, *, global_endpoint_token_version: str
) -> None:
    """Kept and reported by GetAccountSummary. iamd's session tokens are valid in every Region
    whichever version is chosen (AWS's v1 tokens are not valid in opt-in Regions)."""
    call.uow.account_settings.put(
        call.account_id, STS_TOKEN_VERSION_KEY, global_endpoint_token_version
    )
    return None


@iam_operation("GetAccountProperties", write=False)
def get_account_properties(call: Call) -> Mapping[str, object]:
    """iamd has none of the account-wide features these properties configure (Role Manager),
    so no property is set."""
    return {"properties": {}}


@iam_operation("PutAccountProperties", write=True)
def put_account_properties(call: Call, *, properties: Mapping[str, str]) -> None:
    """Properties are ``Namespace/PropertyName``, all of one namespace, validated against the
    property's type by AWS. iamd knows no property (it has none of the features they
    configure), so every property is refused rather than stored without effect."""
    namespaces = {key.split("/", 1)[0] for key in properties}
    if len(namespaces) > 1:
        raise InvalidInput("All properties in a request must belong to the same namespace.")
    if properties:
        raise InvalidInput(f"Unknown account property: {min(properties)}.")
    return None
