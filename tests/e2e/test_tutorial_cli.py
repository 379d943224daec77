"""The IAM tutorial's five commands with the real AWS CLI, exactly as a user types them
(issue 2, "Done when")."""

from __future__ import annotations

import json
import re
from pathlib import Path

from iamd_testkit import DEFAULT_ACCOUNT, Account, Backend, Server, aws_cli, running_server

S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def _ok(result: object) -> dict[str, object]:
    import subprocess

    assert isinstance(result, subprocess.CompletedProcess)
    assert result.returncode == 0, result.stderr
    out: dict[str, object] = json.loads(result.stdout) if result.stdout.strip() else {}
    return out


def test_tutorial_walkthrough_then_restart(tmp_path: Path, backend: Backend) -> None:
    with running_server(tmp_path, database_url=backend.database_url("tutorial")) as server:
        _walkthrough(server)


def _walkthrough(server: Server) -> None:
    root = Account(
        server,
        DEFAULT_ACCOUNT,
        server.env["IAMD_ROOT_ACCESS_KEY_ID"],
        server.env["IAMD_ROOT_SECRET_ACCESS_KEY"],
    )
    user = _ok(aws_cli(root, "iam", "create-user", "--user-name", "Samy"))["User"]
    assert isinstance(user, dict)
    assert user["UserName"] == "Samy"
    assert user["Arn"] == f"arn:aws:iam::{DEFAULT_ACCOUNT}:user/Samy"
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", user["UserId"])
    assert user["Path"] == "/"

    _ok(
        aws_cli(
            root, "iam", "attach-user-policy", "--user-name", "Samy", "--policy-arn", S3_READ_ONLY
        )
    )
    group = _ok(aws_cli(root, "iam", "create-group", "--group-name", "DeveloperGroup"))
    assert group["Group"]["Arn"] == f"arn:aws:iam::{DEFAULT_ACCOUNT}:group/DeveloperGroup"  # type: ignore[index]
    _ok(
        aws_cli(
            root,
            "iam",
            "add-user-to-group",
            "--user-name",
            "Samy",
            "--group-name",
            "DeveloperGroup",
        )
    )

    attached = _ok(aws_cli(root, "iam", "list-attached-user-policies", "--user-name", "Samy"))
    assert attached["AttachedPolicies"] == [
        {"PolicyName": "AmazonS3ReadOnlyAccess", "PolicyArn": S3_READ_ONLY}
    ]
    groups = _ok(aws_cli(root, "iam", "list-groups-for-user", "--user-name", "Samy"))
    assert [g["GroupName"] for g in groups["Groups"]] == ["DeveloperGroup"]  # type: ignore[attr-defined]

    refused = aws_cli(root, "iam", "delete-user", "--user-name", "Samy")
    assert refused.returncode != 0
    assert "(DeleteConflict)" in refused.stderr
    assert "Cannot delete entity, must" in refused.stderr

    # Samy is still there, untouched.
    still = _ok(aws_cli(root, "iam", "get-user", "--user-name", "Samy"))
    assert still["User"]["UserId"] == user["UserId"]  # type: ignore[index]

    _ok(
        aws_cli(
            root, "iam", "detach-user-policy", "--user-name", "Samy", "--policy-arn", S3_READ_ONLY
        )
    )
    refused = aws_cli(root, "iam", "delete-user", "--user-name", "Samy")
    assert "must remove users from group first" in refused.stderr

    # The data survives a restart.
    server.stop()
    server.start()
    members = _ok(aws_cli(root, "iam", "get-group", "--group-name", "DeveloperGroup"))
    assert [u["UserName"] for u in members["Users"]] == ["Samy"]  # type: ignore[attr-defined]

    _ok(
        aws_cli(
            root,
            "iam",
            "remove-user-from-group",
            "--user-name",
            "Samy",
            "--group-name",
            "DeveloperGroup",
        )
    )
    _ok(aws_cli(root, "iam", "delete-user", "--user-name", "Samy"))
    gone = aws_cli(root, "iam", "get-user", "--user-name", "Samy")
    assert gone.returncode != 0
    assert "(NoSuchEntity)" in gone.stderr
    assert "The user with name Samy cannot be found." in gone.stderr

    server.stop()
    server.start()
    gone = aws_cli(root, "iam", "get-user", "--user-name", "Samy")
    assert "(NoSuchEntity)" in gone.stderr
    assert _ok(aws_cli(root, "iam", "get-group", "--group-name", "DeveloperGroup"))["Users"] == []
