"""Last-used data fed by the audit records (stored in batches every 0.2 s on this server):
GetAccessKeyLastUsed, RoleLastUsed and service last accessed data."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from audit.audit_helpers import raw_post
from iamd_testkit import Account, Server

T = TypeVar("T")

ALLOW_ALL = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


def eventually(probe: Callable[[], T], until: Callable[[T], bool], timeout: float = 10.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if until(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def _user_key(acct: Account, name: str) -> tuple[str, str]:
    iam = acct.iam()
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def _last_used(acct: Account, key_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = acct.iam().get_access_key_last_used(AccessKeyId=key_id)
    return dict(answer["AccessKeyLastUsed"])


def test_a_new_key_was_never_used(acct: Account) -> None:
    key_id, _ = _user_key(acct, "fresh")
    used = _last_used(acct, key_id)
    assert "LastUsedDate" not in used
    assert used["ServiceName"] == "N/A"


def test_access_key_last_used(acct: Account) -> None:
    key_id, secret = _user_key(acct, "user1")
    before = time.time()
    acct.client("sts", key_id, secret).get_caller_identity()
    used = eventually(lambda: _last_used(acct, key_id), lambda u: "LastUsedDate" in u)
    assert used["ServiceName"] == "sts"
    assert used["Region"] == "us-east-1"
    assert used["LastUsedDate"].timestamp() >= before - 1
    acct.iam(key_id, secret).list_users()
    again = eventually(lambda: _last_used(acct, key_id), lambda u: u["ServiceName"] == "iam")
    assert again["ServiceName"] == "iam"


def test_an_unauthenticated_request_does_not_count(audited: Server, acct: Account) -> None:
    status, _ = raw_post(
        audited, "Action=ListUsers&Version=2010-05-08", account=acct, secret="z" * 40
    )
    assert status == 403
    time.sleep(0.6)  # three flushes
    assert "LastUsedDate" not in _last_used(acct, acct.root_key_id)


def _role_session(acct: Account, user: tuple[str, str]) -> tuple[str, Any]:
    iam = acct.iam()
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{acct.id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    arn: str = iam.create_role(
        RoleName="worker", Path="/jobs/", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    iam.put_role_policy(RoleName="worker", PolicyName="all", PolicyDocument=ALLOW_ALL)
    answer = acct.client("sts", *user).assume_role(RoleArn=arn, RoleSessionName="job-1")
    c = answer["Credentials"]
    return arn, acct.client("iam", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])


def test_role_last_used(acct: Account) -> None:
    _, session = _role_session(acct, _user_key(acct, "assumer"))
    time.sleep(1.1)  # past the second AssumeRole itself was recorded in
    called = int(time.time())
    session.list_roles()
    role = eventually(
        lambda: acct.iam().get_role(RoleName="worker")["Role"],
        lambda r: (
            r["RoleLastUsed"].get("LastUsedDate") is not None
            and r["RoleLastUsed"]["LastUsedDate"].timestamp() >= called
        ),
    )
    assert role["RoleLastUsed"]["LastUsedDate"].timestamp() >= called
    assert role["RoleLastUsed"]["Region"] == "us-east-1"


def _services(acct: Account, arn: str) -> dict[str, dict[str, Any]]:
    iam = acct.iam()
    job = iam.generate_service_last_accessed_details(Arn=arn, Granularity="ACTION_LEVEL")
    details = iam.get_service_last_accessed_details(JobId=job["JobId"], MaxItems=1000)
    return {s["ServiceNamespace"]: s for s in details["ServicesLastAccessed"]}


def test_service_last_accessed_by_a_user(acct: Account) -> None:
    key_id, secret = _user_key(acct, "reader")
    arn = f"arn:aws:iam::{acct.id}:user/reader"
    acct.iam(key_id, secret).get_user(UserName="reader")
    services = eventually(
        lambda: _services(acct, arn), lambda s: "LastAuthenticated" in s.get("iam", {})
    )
    iam_service = services["iam"]
    assert iam_service["LastAuthenticatedEntity"] == arn
    actions = {a["ActionName"] for a in iam_service.get("TrackedActionsLastAccessed", [])}
    assert "GetUser" in actions
    assert "LastAuthenticated" not in services.get("s3", {})


def test_service_last_accessed_by_a_role_session(acct: Account) -> None:
    role_arn, session = _role_session(acct, _user_key(acct, "runner"))
    session.list_users()
    services = eventually(
        lambda: _services(acct, role_arn), lambda s: "LastAuthenticated" in s.get("iam", {})
    )
    assert services["iam"]["LastAuthenticatedEntity"] == role_arn
