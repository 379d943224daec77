"""IAM quotas iamd enforces, from "IAM and AWS STS quotas" in the IAM User Guide
(reference_iam-quotas). Default quotas are used where AWS allows raising them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_QUOTAS", "Quotas"]


@dataclass(frozen=True, slots=True)
class Quotas:
    users_per_account: int = 5000
    groups_per_account: int = 300
    roles_per_account: int = 1000
    customer_managed_policies_per_account: int = 1500
    instance_profiles_per_account: int = 1000
    server_certificates_per_account: int = 20
    open_id_connect_providers_per_account: int = 100
    saml_providers_per_account: int = 100
    managed_policies_per_user: int = 10
    managed_policies_per_group: int = 10
    managed_policies_per_role: int = 10
    groups_per_user: int = 10
    access_keys_per_user: int = 2
    signing_certificates_per_user: int = 2
    ssh_public_keys_per_user: int = 5
    mfa_devices_per_user: int = 8
    versions_per_policy: int = 5
    tags_per_resource: int = 50
    aliases_per_account: int = 1
    inline_policy_bytes_per_user: int = 2048
    inline_policy_bytes_per_group: int = 5120
    inline_policy_bytes_per_role: int = 10240
    managed_policy_bytes: int = 6144
    trust_policy_bytes: int = 2048


DEFAULT_QUOTAS = Quotas()
