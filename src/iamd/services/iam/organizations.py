"""The IAM operations that act on an AWS Organizations organization: centralized root access
(Enable/Disable OrganizationsRootCredentialsManagement and OrganizationsRootSessions,
ListOrganizationsFeatures; "Centrally manage root access for member accounts",
id_root-user-access-management) and the Organizations access report
(Generate/GetOrganizationsAccessReport; access_policies_last-accessed-view-data-orgs).

iamd has no AWS Organizations: none of its accounts belongs to an organization. These operations
answer as AWS answers an account that is in no organization — ``OrganizationNotFoundException``,
whose message is the model's documentation of the exception (the exception has no error
metadata, so its code is its shape name and its status 400) — and a report job iamd cannot have
made is ``NoSuchEntity``. Decisions recorded in docs/api-coverage.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from iamd.errors import AwsError, NoSuchEntity
from iamd.services.context import Call
from iamd.services.registry import iam_operation

__all__ = [
    "OrganizationNotFoundException",
    "disable_organizations_root_credentials_management",
    "disable_organizations_root_sessions",
    "enable_organizations_root_credentials_management",
    "enable_organizations_root_sessions",
    "generate_organizations_access_report",
    "get_organizations_access_report",
    "list_organizations_features",
]


class OrganizationNotFoundException(AwsError):
    """botocore's OrganizationNotFoundException (no error metadata: code = shape name)."""

    code = "OrganizationNotFoundException"


def _no_organization() -> OrganizationNotFoundException:
    return OrganizationNotFoundException(
        "The request was rejected because no organization is associated with your account."
    )


@iam_operation("EnableOrganizationsRootCredentialsManagement", write=True)
def enable_organizations_root_credentials_management(call: Call) -> Mapping[str, object]:
    raise _no_organization()


@iam_operation("DisableOrganizationsRootCredentialsManagement", write=True)
def disable_organizations_root_credentials_management(call: Call) -> Mapping[str, object]:
    raise _no_organization()


@iam_operation("EnableOrganizationsRootSessions", write=True)
def enable_organizations_root_sessions(call: Call) -> Mapping[str, object]:
    raise _no_organization()


@iam_operation("DisableOrganizationsRootSessions", write=True)
def disable_organizations_root_sessions(call: Call) -> Mapping[str, object]:
    raise _no_organization()


@iam_operation("ListOrganizationsFeatures", write=False)
def list_organizations_features(call: Call) -> Mapping[str, object]:
    raise _no_organization()


@iam_operation("GenerateOrganizationsAccessReport", write=True)
def generate_organizations_access_report(
    call: Call, *, entity_path: str, organizations_policy_id: str | None = None
) -> Mapping[str, object]:
    """The entity path names an organization (``o-…/r-…``); there is none in iamd."""
    raise _no_organization()


@iam_operation("GetOrganizationsAccessReport", write=False)
def get_organizations_access_report(
    call: Call,
    *,
    job_id: str,
    max_items: int | None = None,
    marker: str | None = None,
    sort_key: str | None = None,
) -> Mapping[str, object]:
    """No Organizations access report can have been generated, so no job id is known."""
    raise NoSuchEntity(f"The job with ID {job_id} cannot be found.")
