"""Account-wide operations over HTTP with boto3 (aliases also with the AWS CLI): account aliases,
GetAccountSummary's real counts and quotas, SetSecurityTokenServicePreferences, and the account
properties iamd does not have."""

from __future__ import annotations

import json
import time
from typing import Any

import pyotp

from iamd_testkit import Account, AccountMaker, aws_cli, aws_error

POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
)
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def _alias(account: Account) -> str:
    return f"alias-{account.id}"


# -- aliases -----------------------------------------------------------------------------------


def test_create_and_list_an_alias(account: Account) -> None:
    iam = account.iam()
    assert iam.list_account_aliases()["AccountAliases"] == []
    iam.create_account_alias(AccountAlias=_alias(account))
    listed = iam.list_account_aliases()
    assert listed["AccountAliases"] == [_alias(account)]
    assert listed["IsTruncated"] is False


def test_a_new_alias_replaces_the_old_one(account: Account) -> None:
    iam = account.iam()
    iam.create_account_alias(AccountAlias=_alias(account))
    iam.create_account_alias(AccountAlias=_alias(account) + "-b")
    assert iam.list_account_aliases()["AccountAliases"] == [_alias(account) + "-b"]


def test_aliases_are_unique_across_the_server(account: Account, make_account: AccountMaker) -> None:
    other = make_account()
    other.iam().create_account_alias(AccountAlias=_alias(account))
    iam = account.iam()
    error = aws_error(iam.create_account_alias, AccountAlias=_alias(account))
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == f"The account alias {_alias(account)} already exists."
    assert iam.list_account_aliases()["AccountAliases"] == []
    # Holding it already is the same answer.
    error = aws_error(other.iam().create_account_alias, AccountAlias=_alias(account))
    assert error.code == "EntityAlreadyExists"


def test_a_freed_alias_can_be_taken(account: Account, make_account: AccountMaker) -> None:
    other = make_account()
    other.iam().create_account_alias(AccountAlias=_alias(account))
    other.iam().create_account_alias(AccountAlias=_alias(account) + "-new")
    account.iam().create_account_alias(AccountAlias=_alias(account))
    assert account.iam().list_account_aliases()["AccountAliases"] == [_alias(account)]


def test_alias_rules(account: Account) -> None:
    iam = account.iam()
    for bad in ("ab", "-lead", "trail-", "two--hyphens", "Upper", "under_score", "x" * 64):
        error = aws_error(iam.create_account_alias, AccountAlias=bad)
        assert (error.code, error.status) == ("ValidationError", 400), bad
    error = aws_error(iam.create_account_alias, AccountAlias="123456789012")
    assert error.code == "ValidationError"
    assert iam.list_account_aliases()["AccountAliases"] == []
    iam.create_account_alias(AccountAlias=f"{account.id[:11]}")  # 11 digits are allowed
    iam.create_account_alias(AccountAlias=_alias(account))


def test_delete_needs_the_current_alias(account: Account) -> None:
    iam = account.iam()
    iam.create_account_alias(AccountAlias=_alias(account))
    error = aws_error(iam.delete_account_alias, AccountAlias="someone-else")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == "The account alias someone-else cannot be found."
    assert iam.list_account_aliases()["AccountAliases"] == [_alias(account)]
    iam.delete_account_alias(AccountAlias=_alias(account))
    assert iam.list_account_aliases()["AccountAliases"] == []
    assert aws_error(iam.delete_account_alias, AccountAlias=_alias(account)).code == "NoSuchEntity"


def test_alias_with_the_aws_cli(account: Account) -> None:
    created = aws_cli(account, "iam", "create-account-alias", "--account-alias", _alias(account))
    assert created.returncode == 0, created.stderr
    listed = aws_cli(account, "iam", "list-account-aliases")
    assert json.loads(listed.stdout)["AccountAliases"] == [_alias(account)]
    deleted = aws_cli(account, "iam", "delete-account-alias", "--account-alias", _alias(account))
    assert deleted.returncode == 0, deleted.stderr
    assert (
        json.loads(aws_cli(account, "iam", "list-account-aliases").stdout)["AccountAliases"] == []
    )


# -- GetAccountSummary ---------------------------------------------------------------------------

SUMMARY_KEYS = {
    "Users", "UsersQuota", "Groups", "GroupsQuota", "ServerCertificates",
    "ServerCertificatesQuota", "UserPolicySizeQuota", "GroupPolicySizeQuota",
    "GroupsPerUserQuota", "SigningCertificatesPerUserQuota", "AccessKeysPerUserQuota",
    "MFADevices", "MFADevicesInUse", "AccountMFAEnabled", "AccountAccessKeysPresent",
    "AccountPasswordPresent", "AccountSigningCertificatesPresent",
    "AttachedPoliciesPerGroupQuota", "AttachedPoliciesPerRoleQuota",
    "AttachedPoliciesPerUserQuota", "Policies", "PoliciesQuota", "PolicySizeQuota",
    "PolicyVersionsInUse", "PolicyVersionsInUseQuota", "VersionsPerPolicyQuota",
    "GlobalEndpointTokenVersion", "AssumeRolePolicySizeQuota", "InstanceProfiles",
    "InstanceProfilesQuota", "Providers", "RolePolicySizeQuota", "Roles", "RolesQuota",
}  # fmt: skip


def _summary(account: Account) -> dict[str, int]:
    summary: dict[str, int] = account.iam().get_account_summary()["SummaryMap"]
    return summary


def test_summary_of_a_new_account(account: Account) -> None:
    summary = _summary(account)
    assert set(summary) == SUMMARY_KEYS
    counted = ("Users", "Groups", "Roles", "Policies", "InstanceProfiles", "Providers")
    assert all(summary[key] == 0 for key in counted)
    assert summary["MFADevices"] == summary["MFADevicesInUse"] == summary["AccountMFAEnabled"] == 0
    # The root user signs these requests with its access key.
    assert summary["AccountAccessKeysPresent"] == 1
    assert summary["GlobalEndpointTokenVersion"] == 1


def test_summary_reports_the_quotas_iamd_enforces(account: Account) -> None:
    summary = _summary(account)
    assert summary["UsersQuota"] == 5000
    assert summary["GroupsQuota"] == 300
    assert summary["RolesQuota"] == 1000
    assert summary["PoliciesQuota"] == 1500
    assert summary["InstanceProfilesQuota"] == 1000
    assert summary["ServerCertificatesQuota"] == 20
    assert summary["AccessKeysPerUserQuota"] == 2
    assert summary["GroupsPerUserQuota"] == 10
    assert summary["VersionsPerPolicyQuota"] == 5
    assert summary["PolicySizeQuota"] == 6144
    assert summary["UserPolicySizeQuota"] == 2048
    assert summary["GroupPolicySizeQuota"] == 5120
    assert summary["RolePolicySizeQuota"] == 10240
    assert summary["AssumeRolePolicySizeQuota"] == 2048
    assert summary["AttachedPoliciesPerUserQuota"] == 10


def test_summary_counts_what_the_account_holds(account: Account) -> None:
    iam = account.iam()
    for name in ("u1", "u2", "u3"):
        iam.create_user(UserName=name)
    iam.create_group(GroupName="g")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    arn = iam.create_policy(PolicyName="p", PolicyDocument=POLICY)["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=POLICY)
    iam.create_instance_profile(InstanceProfileName="ip")
    iam.create_open_id_connect_provider(Url="https://idp.example.org")
    summary = _summary(account)
    assert (summary["Users"], summary["Groups"], summary["Roles"]) == (3, 1, 1)
    assert (summary["Policies"], summary["PolicyVersionsInUse"]) == (1, 2)
    assert (summary["InstanceProfiles"], summary["Providers"]) == (1, 1)
    iam.delete_user(UserName="u3")
    assert _summary(account)["Users"] == 2


def _enable_mfa(iam: Any, user: str | None) -> None:
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=f"dev-{user or 'root'}")[
        "VirtualMFADevice"
    ]
    totp = pyotp.TOTP(device["Base32StringSeed"].decode("ascii"))
    now = time.time()
    kwargs = {"UserName": user} if user else {}
    iam.enable_mfa_device(
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=totp.at(now - 30),
        AuthenticationCode2=totp.at(now),
        **kwargs,
    )


def test_summary_counts_mfa_devices(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_virtual_mfa_device(VirtualMFADeviceName="spare")
    _enable_mfa(iam, "u")
    summary = _summary(account)
    assert (summary["MFADevices"], summary["MFADevicesInUse"]) == (2, 1)
    assert summary["AccountMFAEnabled"] == 0


def test_sts_preferences_show_in_the_summary(account: Account) -> None:
    iam = account.iam()
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v2Token")
    assert _summary(account)["GlobalEndpointTokenVersion"] == 2
    iam.set_security_token_service_preferences(GlobalEndpointTokenVersion="v1Token")
    assert _summary(account)["GlobalEndpointTokenVersion"] == 1
    error = aws_error(iam.set_security_token_service_preferences, GlobalEndpointTokenVersion="v3")
    assert error.code == "ValidationError"
    assert _summary(account)["GlobalEndpointTokenVersion"] == 1


def test_the_summary_is_per_account(account: Account, make_account: AccountMaker) -> None:
    other = make_account()
    other.iam().create_user(UserName="elsewhere")
    assert _summary(account)["Users"] == 0


# -- account properties --------------------------------------------------------------------------


def test_no_account_property_is_set(account: Account) -> None:
    assert account.iam().get_account_properties()["Properties"] == {}


def test_putting_a_property_is_refused_and_changes_nothing(account: Account) -> None:
    iam = account.iam()
    error = aws_error(iam.put_account_properties, Properties={"RoleManager/Enabled": "true"})
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert error.message == "Unknown account property: RoleManager/Enabled."
    error = aws_error(iam.put_account_properties, Properties={"A/x": "1", "B/y": "2"})
    assert error.code == "InvalidInput"
    assert iam.get_account_properties()["Properties"] == {}
