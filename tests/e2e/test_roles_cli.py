"""The IAM User Guide's "Creating a role for an AWS service (AWS CLI)" steps with the real AWS
CLI (id_roles_create_for-service): create-role from a trust-policy file, put-role-policy,
create-instance-profile, add-role-to-instance-profile, then the reads and the teardown."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from iamd_testkit import Account, aws_cli

# The guide's trust policy, its Statement an object rather than a list.
TRUST_POLICY = """{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Principal": {"Service": "ec2.amazonaws.com"},
    "Action": "sts:AssumeRole"
  }
}
"""
S3_POLICY = """{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": "s3:*",
    "Resource": "*"
  }
}
"""


def ok(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    out: dict[str, Any] = json.loads(result.stdout) if result.stdout.strip() else {}
    return out


def test_role_for_ec2_with_the_aws_cli(account: Account, tmp_path: Path) -> None:
    trust = tmp_path / "trustpolicyforec2.json"
    trust.write_text(TRUST_POLICY)
    permissions = tmp_path / "permissionspolicyforec2.json"
    permissions.write_text(S3_POLICY)

    role = ok(
        aws_cli(
            account,
            "iam",
            "create-role",
            "--role-name",
            "Test-Role-for-EC2",
            "--assume-role-policy-document",
            f"file://{trust}",
        )
    )["Role"]
    assert role["Arn"] == f"arn:aws:iam::{account.id}:role/Test-Role-for-EC2"
    assert role["AssumeRolePolicyDocument"] == json.loads(TRUST_POLICY)

    put = aws_cli(
        account,
        "iam",
        "put-role-policy",
        "--role-name",
        "Test-Role-for-EC2",
        "--policy-name",
        "Permissions-Policy-For-Ec2",
        "--policy-document",
        f"file://{permissions}",
    )
    assert ok(put) == {}
    profile = ok(
        aws_cli(
            account,
            "iam",
            "create-instance-profile",
            "--instance-profile-name",
            "EC2-ListBucket-S3",
        )
    )["InstanceProfile"]
    assert profile["Arn"] == f"arn:aws:iam::{account.id}:instance-profile/EC2-ListBucket-S3"
    assert profile["Roles"] == []
    add = aws_cli(
        account,
        "iam",
        "add-role-to-instance-profile",
        "--instance-profile-name",
        "EC2-ListBucket-S3",
        "--role-name",
        "Test-Role-for-EC2",
    )
    assert ok(add) == {}

    got = ok(
        aws_cli(
            account, "iam", "get-instance-profile", "--instance-profile-name", "EC2-ListBucket-S3"
        )
    )
    assert [r["RoleName"] for r in got["InstanceProfile"]["Roles"]] == ["Test-Role-for-EC2"]
    inline = ok(
        aws_cli(
            account,
            "iam",
            "get-role-policy",
            "--role-name",
            "Test-Role-for-EC2",
            "--policy-name",
            "Permissions-Policy-For-Ec2",
        )
    )
    assert inline["PolicyDocument"] == json.loads(S3_POLICY)
    fetched = ok(aws_cli(account, "iam", "get-role", "--role-name", "Test-Role-for-EC2"))["Role"]
    assert (fetched["MaxSessionDuration"], fetched["RoleLastUsed"]) == (3600, {})

    refused = aws_cli(account, "iam", "delete-role", "--role-name", "Test-Role-for-EC2")
    assert refused.returncode != 0
    assert "DeleteConflict" in refused.stderr
    assert "must remove roles from instance profile first" in refused.stderr
