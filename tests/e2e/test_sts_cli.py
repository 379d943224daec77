"""The real AWS CLI: ``aws sts assume-role`` across accounts, the CLI's own assume-role flow from
a profile with ``role_arn`` and ``source_profile``, and ``aws sts get-session-token`` with an
MFA code unlocking an MFA-protected policy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from iamd_testkit import Account, AccountMaker, aws_cli
from sts.helpers import allow, document, enable_mfa, make_role, make_user, trust


def _cli(account: Account, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    base.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1"}, **env)
    command = [
        sys.executable,
        "-m",
        "awscli",
        *args,
        "--endpoint-url",
        account.server.endpoint,
        "--output",
        "json",
    ]
    return subprocess.run(command, env=base, capture_output=True, text=True, timeout=120)


def test_aws_sts_assume_role_across_accounts(make_account: AccountMaker) -> None:
    a, b = make_account(), make_account()
    alice = make_user(a, "alice", allow("sts:AssumeRole"))
    role_arn = make_role(b, "Reader", trust({"AWS": a.id}), allow("iam:ListRoles"))
    result = aws_cli(
        a,
        "sts",
        "assume-role",
        "--role-arn",
        role_arn,
        "--role-session-name",
        "cli-session",
        key_id=alice.key_id,
        secret=alice.secret,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (
        answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{b.id}:assumed-role/Reader/cli-session"
    )
    credentials = answer["Credentials"]
    session_env = {
        "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
        "AWS_SESSION_TOKEN": credentials["SessionToken"],
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    listed = _cli(b, session_env, "iam", "list-roles")
    assert listed.returncode == 0, listed.stderr
    assert [r["RoleName"] for r in json.loads(listed.stdout)["Roles"]] == ["Reader"]
    refused = _cli(b, session_env, "iam", "create-user", "--user-name", "mallory")
    assert refused.returncode != 0
    assert "AccessDenied" in refused.stderr


def test_a_cli_profile_with_role_arn_and_source_profile(
    make_account: AccountMaker, tmp_path: Path
) -> None:
    a, b = make_account(), make_account()
    alice = make_user(a, "alice", allow("sts:AssumeRole"))
    role_arn = make_role(b, "Reader", trust({"AWS": a.id}), allow("iam:ListRoles"))
    config = tmp_path / "config"
    config.write_text(
        "[profile cross]\n"
        f"role_arn = {role_arn}\n"
        "source_profile = alice\n"
        "role_session_name = from-profile\n"
        "region = us-east-1\n"
        f"endpoint_url = {b.server.endpoint}\n"
        "[profile alice]\n"
        f"endpoint_url = {b.server.endpoint}\n"
    )
    credentials = tmp_path / "credentials"
    credentials.write_text(
        f"[alice]\naws_access_key_id = {alice.key_id}\naws_secret_access_key = {alice.secret}\n"
    )
    env = {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_PROFILE": "cross",
        "HOME": str(tmp_path),
    }
    # The CLI assumes the role itself; ``endpoint_url`` in the profiles points its STS call here.
    identity = _cli(b, env, "sts", "get-caller-identity")
    assert identity.returncode == 0, identity.stderr
    assert json.loads(identity.stdout)["Arn"] == (
        f"arn:aws:sts::{b.id}:assumed-role/Reader/from-profile"
    )
    listed = _cli(b, env, "iam", "list-roles")
    assert listed.returncode == 0, listed.stderr
    refused = _cli(b, env, "iam", "create-user", "--user-name", "mallory")
    assert refused.returncode != 0
    assert "AccessDenied" in refused.stderr
    assert "assumed-role/Reader/from-profile is not authorized to perform: iam:CreateUser" in (
        refused.stderr
    )


def test_aws_sts_get_session_token_with_mfa_unlocks_an_mfa_protected_policy(
    account: Account,
) -> None:
    mfa_only = allow("iam:ListUsers", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    user = make_user(account, "carol", mfa_only)
    device = enable_mfa(account, "carol")
    long_term = {
        "AWS_ACCESS_KEY_ID": user.key_id,
        "AWS_SECRET_ACCESS_KEY": user.secret,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    locked = _cli(account, long_term, "iam", "list-users")
    assert locked.returncode != 0 and "AccessDenied" in locked.stderr
    result = _cli(
        account,
        long_term,
        "sts",
        "get-session-token",
        "--serial-number",
        device.serial,
        "--token-code",
        device.code(),
    )
    assert result.returncode == 0, result.stderr
    credentials = json.loads(result.stdout)["Credentials"]
    unlocked = _cli(
        account,
        {
            "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
            "AWS_SESSION_TOKEN": credentials["SessionToken"],
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        },
        "iam",
        "list-users",
    )
    assert unlocked.returncode == 0, unlocked.stderr
    assert [u["UserName"] for u in json.loads(unlocked.stdout)["Users"]] == ["carol"]


def test_the_tutorials_ec2_role_and_s3_policy_as_written(account: Account, tmp_path: Path) -> None:
    """ "Create a role to delegate permissions to an AWS service" with the CLI, as the tutorial
    writes the files."""
    trust_file = tmp_path / "ec2-role-trust-policy.json"
    trust_file.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ec2.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            indent=2,
        )
    )
    access_file = tmp_path / "ec2-role-access-policy.json"
    access_file.write_text(document({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    created = aws_cli(
        account,
        "iam",
        "create-role",
        "--role-name",
        "Test-Role-for-EC2",
        "--assume-role-policy-document",
        f"file://{trust_file}",
    )
    assert created.returncode == 0, created.stderr
    put = aws_cli(
        account,
        "iam",
        "put-role-policy",
        "--role-name",
        "Test-Role-for-EC2",
        "--policy-name",
        "Permissions-Policy-For-Ec2",
        "--policy-document",
        f"file://{access_file}",
    )
    assert put.returncode == 0, put.stderr
