"""A tour of the areas the other CLI tests leave out, with the real AWS CLI: a login profile and
the account password policy, tags on users, roles and policies, customer managed policy versions,
the policy simulator, and the account summary. (Roles and instance profiles: test_roles_cli.py;
virtual MFA: test_mfa_devices.py; OIDC and SAML providers: test_oidc_providers.py,
test_saml_providers.py; aliases: test_account.py; the credential report:
test_credential_report.py; STS: test_sts_cli.py.)"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from iamd_testkit import Account, aws_cli


def ok(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    out: dict[str, Any] = json.loads(result.stdout) if result.stdout.strip() else {}
    return out


def test_tour(account: Account, tmp_path: Path) -> None:
    def iam(*args: str) -> dict[str, Any]:
        return ok(aws_cli(account, "iam", *args))

    iam(
        "update-account-password-policy",
        "--minimum-password-length",
        "12",
        "--require-symbols",
        "--allow-users-to-change-password",
    )
    policy = iam("get-account-password-policy")["PasswordPolicy"]
    assert (policy["MinimumPasswordLength"], policy["RequireSymbols"]) == (12, True)

    iam("create-user", "--user-name", "Ana", "--tags", "Key=team,Value=red")
    weak = aws_cli(
        account, "iam", "create-login-profile", "--user-name", "Ana", "--password", "short"
    )
    assert weak.returncode != 0 and "(PasswordPolicyViolation)" in weak.stderr
    profile = iam(
        "create-login-profile",
        "--user-name",
        "Ana",
        "--password",
        "Correct-Horse-Battery-9!",
        "--password-reset-required",
    )["LoginProfile"]
    assert profile["PasswordResetRequired"] is True
    assert iam("get-login-profile", "--user-name", "Ana")["LoginProfile"]["UserName"] == "Ana"

    iam("tag-user", "--user-name", "Ana", "--tags", "Key=env,Value=dev")
    tags = iam("list-user-tags", "--user-name", "Ana")["Tags"]
    assert tags == [{"Key": "team", "Value": "red"}, {"Key": "env", "Value": "dev"}]

    document = tmp_path / "policy.json"
    document.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}],
            }
        )
    )
    arn = iam(
        "create-policy",
        "--policy-name",
        "Readers",
        "--policy-document",
        f"file://{document}",
        "--tags",
        "Key=owner,Value=ana",
    )["Policy"]["Arn"]
    iam(
        "create-policy-version",
        "--policy-arn",
        arn,
        "--policy-document",
        f"file://{document}",
        "--set-as-default",
    )
    versions = iam("list-policy-versions", "--policy-arn", arn)["Versions"]
    assert [v["VersionId"] for v in versions] == ["v2", "v1"]
    assert iam("list-policy-tags", "--policy-arn", arn)["Tags"] == [
        {"Key": "owner", "Value": "ana"}
    ]
    iam("attach-user-policy", "--user-name", "Ana", "--policy-arn", arn)

    simulated = iam(
        "simulate-principal-policy",
        "--policy-source-arn",
        f"arn:aws:iam::{account.id}:user/Ana",
        "--action-names",
        "iam:GetUser",
        "iam:DeleteUser",
    )["EvaluationResults"]
    assert {r["EvalActionName"]: r["EvalDecision"] for r in simulated} == {
        "iam:GetUser": "allowed",
        "iam:DeleteUser": "implicitDeny",
    }

    trust = tmp_path / "trust.json"
    trust.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account.id}:user/Ana"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        )
    )
    iam("create-role", "--role-name", "AnaRole", "--assume-role-policy-document", f"file://{trust}")
    iam("tag-role", "--role-name", "AnaRole", "--tags", "Key=team,Value=red")
    assert iam("list-role-tags", "--role-name", "AnaRole")["Tags"] == [
        {"Key": "team", "Value": "red"}
    ]

    summary = iam("get-account-summary")["SummaryMap"]
    assert (summary["Users"], summary["Roles"], summary["Policies"]) == (1, 1, 1)

    iam("delete-login-profile", "--user-name", "Ana")
    iam("detach-user-policy", "--user-name", "Ana", "--policy-arn", arn)
    iam("delete-user", "--user-name", "Ana")
    assert iam("list-users")["Users"] == []
