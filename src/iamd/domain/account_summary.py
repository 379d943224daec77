"""GetAccountSummary's SummaryMap: IAM entity usage and IAM quotas in an account ("IAM and AWS
STS quotas", reference_iam-quotas; GetAccountSummary in the IAM API Reference)."""

from __future__ import annotations

from dataclasses import dataclass

from iamd.domain.quotas import Quotas

__all__ = ["AccountCounts", "summary_map"]

POLICY_VERSIONS_IN_USE_QUOTA = 10000
"""AWS's PolicyVersionsInUseQuota (not a quota iamd counts against: versions per policy are)."""


@dataclass(frozen=True, slots=True)
class AccountCounts:
    """What is in an account, as GetAccountSummary reports it."""

    users: int = 0
    groups: int = 0
    roles: int = 0
    policies: int = 0
    """Customer managed policies."""
    policy_versions_in_use: int = 0
    """Versions of the account's customer managed policies."""
    instance_profiles: int = 0
    server_certificates: int = 0
    providers: int = 0
    """OpenID Connect and SAML providers."""
    mfa_devices: int = 0
    """Every MFA device in the account, assigned or not."""
    mfa_devices_in_use: int = 0
    """MFA devices enabled for a user or for the root user."""
    root_mfa_enabled: bool = False
    root_access_keys: int = 0
    root_signing_certificates: int = 0
    root_password: bool = False


def summary_map(
    counts: AccountCounts, quotas: Quotas, global_endpoint_token_version: int
) -> dict[str, int]:
    """Every key of the model's ``summaryKeyType``, from ``counts`` and the quotas iamd
    enforces."""
    return {
        "Users": counts.users,
        "UsersQuota": quotas.users_per_account,
        "Groups": counts.groups,
        "GroupsQuota": quotas.groups_per_account,
        "ServerCertificates": counts.server_certificates,
        "ServerCertificatesQuota": quotas.server_certificates_per_account,
        "UserPolicySizeQuota": quotas.inline_policy_bytes_per_user,
        "GroupPolicySizeQuota": quotas.inline_policy_bytes_per_group,
        "GroupsPerUserQuota": quotas.groups_per_user,
        "SigningCertificatesPerUserQuota": quotas.signing_certificates_per_user,
        "AccessKeysPerUserQuota": quotas.access_keys_per_user,
        "MFADevices": counts.mfa_devices,
        "MFADevicesInUse": counts.mfa_devices_in_use,
        "AccountMFAEnabled": int(counts.root_mfa_enabled),
        "AccountAccessKeysPresent": int(counts.root_access_keys > 0),
        "AccountPasswordPresent": int(counts.root_password),
        "AccountSigningCertificatesPresent": int(counts.root_signing_certificates > 0),
        "AttachedPoliciesPerGroupQuota": quotas.managed_policies_per_group,
        "AttachedPoliciesPerRoleQuota": quotas.managed_policies_per_role,
        "AttachedPoliciesPerUserQuota": quotas.managed_policies_per_user,
        "Policies": counts.policies,
        "PoliciesQuota": quotas.customer_managed_policies_per_account,
        "PolicySizeQuota": quotas.managed_policy_bytes,
        "PolicyVersionsInUse": counts.policy_versions_in_use,
        "PolicyVersionsInUseQuota": POLICY_VERSIONS_IN_USE_QUOTA,
        "VersionsPerPolicyQuota": quotas.versions_per_policy,
        "GlobalEndpointTokenVersion": global_endpoint_token_version,
        "AssumeRolePolicySizeQuota": quotas.trust_policy_bytes,
        "InstanceProfiles": counts.instance_profiles,
        "InstanceProfilesQuota": quotas.instance_profiles_per_account,
        "Providers": counts.providers,
        "RolePolicySizeQuota": quotas.inline_policy_bytes_per_role,
        "Roles": counts.roles,
        "RolesQuota": quotas.roles_per_account,
    }
