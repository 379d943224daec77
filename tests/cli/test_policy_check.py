"""``iamd policy check``: the server's validator as an offline linter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iamd", "policy", "check", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_valid_and_invalid_files(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
                ],
            }
        )
    )
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}
        )
    )
    result = _check(str(good), str(bad))
    assert result.returncode == 1
    assert f"{good}: ok" in result.stdout
    assert f"{bad}: MalformedPolicyDocument: Policy statement must contain resources." in (
        result.stdout
    )
    assert _check(str(good)).returncode == 0


def test_trust_policies(tmp_path: Path) -> None:
    trust = tmp_path / "trust.json"
    trust.write_text(
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
            }
        )
    )
    assert _check("--kind", "trust", str(trust)).returncode == 0
    result = _check(str(trust))  # as a managed policy: a principal is not allowed
    assert result.returncode == 1
    assert "MalformedPolicyDocument" in result.stdout


def test_unreadable_file(tmp_path: Path) -> None:
    result = _check(str(tmp_path / "missing.json"))
    assert result.returncode == 1
    assert "cannot read" in result.stderr
