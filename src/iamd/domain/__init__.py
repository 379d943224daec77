"""Entities and invariants of IAM: accounts, users, groups, policies, keys, tags, quotas.

Pure: no I/O, no clock, no randomness.
"""

from iamd.domain.access_keys import AccessKey, KeyStatus
from iamd.domain.account_summary import AccountCounts, summary_map
from iamd.domain.accounts import Account, is_account_id, root_arn
from iamd.domain.credential_report import (
    CREDENTIAL_REPORT_COLUMNS,
    ROOT_ACCOUNT_NAME,
    CertificateFacts,
    CredentialFacts,
    KeyFacts,
    render_credential_report,
)
from iamd.domain.groups import Group, group_arn
from iamd.domain.instance_profiles import (
    ROLES_PER_INSTANCE_PROFILE,
    InstanceProfile,
    instance_profile_arn,
)
from iamd.domain.login_profiles import PASSWORD_HISTORY_DEPTH, LoginProfile
from iamd.domain.mfa_devices import VirtualMfaDevice, mfa_serial_number
from iamd.domain.policies import (
    AWS_MANAGED_ACCOUNT,
    AttachedPolicy,
    InlinePolicy,
    ManagedPolicy,
    PolicyOwnerKind,
    PolicyVersion,
    is_aws_managed_arn,
    policy_arn,
    version_number,
)
from iamd.domain.principals import Principal, PrincipalType
from iamd.domain.providers import (
    MAX_THUMBPRINTS,
    OidcProvider,
    OidcUrlProblem,
    SamlPrivateKey,
    SamlProvider,
    is_thumbprint,
    oidc_provider_arn,
    oidc_provider_name,
    saml_provider_arn,
)
from iamd.domain.quotas import DEFAULT_QUOTAS, Quotas
from iamd.domain.reports import LastAccess, Report, ReportKind
from iamd.domain.roles import (
    DEFAULT_MAX_SESSION_DURATION,
    SERVICE_ROLE_PATH_PREFIX,
    DeletionTask,
    DeletionTaskStatus,
    Role,
    default_service_linked_role_name,
    deletion_task_id,
    parse_deletion_task_id,
    role_arn,
    service_linked_role_path,
    service_trust_policy,
)
from iamd.domain.saml_metadata import SamlMetadata, SamlMetadataError, parse_saml_metadata
from iamd.domain.server_certificates import (
    CertificateProblem,
    ServerCertificate,
    checked_server_certificate,
    server_certificate_arn,
)
from iamd.domain.service_access import AwsService, granted_actions, grants_service
from iamd.domain.service_credentials import ServiceSpecificCredential
from iamd.domain.signing_certificates import SigningCertificate
from iamd.domain.ssh_public_keys import SshPublicKey
from iamd.domain.tags import Tag, TagRuleViolation, merge_tags, remove_tags
from iamd.domain.users import User, user_arn

__all__ = [
    "AWS_MANAGED_ACCOUNT",
    "CREDENTIAL_REPORT_COLUMNS",
    "DEFAULT_MAX_SESSION_DURATION",
    "DEFAULT_QUOTAS",
    "MAX_THUMBPRINTS",
    "PASSWORD_HISTORY_DEPTH",
    "ROLES_PER_INSTANCE_PROFILE",
    "ROOT_ACCOUNT_NAME",
    "SERVICE_ROLE_PATH_PREFIX",
    "AccessKey",
    "Account",
    "AccountCounts",
    "AttachedPolicy",
    "AwsService",
    "CertificateFacts",
    "CertificateProblem",
    "CredentialFacts",
    "DeletionTask",
    "DeletionTaskStatus",
    "Group",
    "InlinePolicy",
    "InstanceProfile",
    "KeyFacts",
    "KeyStatus",
    "LastAccess",
    "LoginProfile",
    "ManagedPolicy",
    "OidcProvider",
    "OidcUrlProblem",
    "PolicyOwnerKind",
    "PolicyVersion",
    "Principal",
    "PrincipalType",
    "Quotas",
    "Report",
    "ReportKind",
    "Role",
    "SamlMetadata",
    "SamlMetadataError",
    "SamlPrivateKey",
    "SamlProvider",
    "ServerCertificate",
    "ServiceSpecificCredential",
    "SigningCertificate",
    "SshPublicKey",
    "Tag",
    "TagRuleViolation",
    "User",
    "VirtualMfaDevice",
    "checked_server_certificate",
    "default_service_linked_role_name",
    "deletion_task_id",
    "granted_actions",
    "grants_service",
    "group_arn",
    "instance_profile_arn",
    "is_account_id",
    "is_aws_managed_arn",
    "is_thumbprint",
    "merge_tags",
    "mfa_serial_number",
    "oidc_provider_arn",
    "oidc_provider_name",
    "parse_deletion_task_id",
    "parse_saml_metadata",
    "policy_arn",
    "remove_tags",
    "render_credential_report",
    "role_arn",
    "root_arn",
    "saml_provider_arn",
    "server_certificate_arn",
    "service_linked_role_path",
    "service_trust_policy",
    "summary_map",
    "user_arn",
    "version_number",
]
