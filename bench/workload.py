"""The benchmark's principal, made the same way on iamd and on moto through the IAM API: an IAM
user whose permissions come from 11 policies of 10 statements each (110 statements: 10 customer
managed policies attached to the user and one inline policy), with an access key.

The statements are a realistic spread over ten services — exact and wildcard actions, NotAction,
resource ARNs with wildcards, a few Deny statements and conditions — and one statement (in the
last policy, so every policy is looked at) allows what the workloads call. Conditions sit only on
statements of other services: moto treats a condition it cannot evaluate as a Deny.
"""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from botocore.config import Config

from bench.signing import Key

__all__ = ["BENCH_USER", "Target", "add_users", "make_principal", "policy_documents"]

BENCH_USER = "bench-user"
_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"}, max_pool_connections=16)
_SERVICES = {
    "s3": ["GetObject", "PutObject", "DeleteObject", "ListBucket", "GetBucketPolicy"],
    "ec2": ["DescribeInstances", "StartInstances", "StopInstances", "RunInstances"],
    "sqs": ["SendMessage", "ReceiveMessage", "DeleteMessage"],
    "sns": ["Publish", "Subscribe"],
    "dynamodb": ["GetItem", "PutItem", "Query", "Scan"],
    "lambda": ["InvokeFunction", "GetFunction"],
    "logs": ["PutLogEvents", "CreateLogStream"],
    "kms": ["Decrypt", "Encrypt", "GenerateDataKey"],
    "cloudwatch": ["PutMetricData", "GetMetricData"],
    "iam": ["DeleteUser", "AttachUserPolicy", "CreateAccessKey", "PutUserPolicy"],
}


class Target:
    """A server under test: its endpoint and the key the setup calls are signed with."""

    def __init__(self, name: str, endpoint: str, admin: Key, account_id: str) -> None:
        self.name = name
        self.endpoint = endpoint
        self.admin = admin
        self.account_id = account_id

    @property
    def host(self) -> str:
        return self.endpoint.removeprefix("http://")

    def iam(self, key: Key | None = None) -> Any:
        key = key or self.admin
        return boto3.client(
            "iam",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=key.access_key_id,
            aws_secret_access_key=key.secret_access_key,
            config=_CONFIG,
        )


def _statement(rng: random.Random, account: str, index: int) -> dict[str, object]:
    service = rng.choice([s for s in _SERVICES if s != "iam"] if index % 4 else list(_SERVICES))
    actions = _SERVICES[service]
    kind = rng.randrange(4)
    if kind == 0:
        action: object = f"{service}:{rng.choice(actions)}"
    elif kind == 1:
        action = [f"{service}:{a}" for a in rng.sample(actions, min(2, len(actions)))]
    elif kind == 2:
        action = f"{service}:{rng.choice(actions)[:3]}*"
    else:
        action = f"{service}:Get*"
    n = rng.randrange(50)
    resources = {
        "s3": f"arn:aws:s3:::bucket-{n}/*",
        "ec2": f"arn:aws:ec2:us-east-1:{account}:instance/i-{n:08x}",
        "iam": f"arn:aws:iam::{account}:user/admins/*",
        "sqs": f"arn:aws:sqs:us-east-1:{account}:queue-{n}",
        "sns": f"arn:aws:sns:us-east-1:{account}:topic-{n}",
        "dynamodb": f"arn:aws:dynamodb:us-east-1:{account}:table/t{n}",
        "lambda": f"arn:aws:lambda:us-east-1:{account}:function:f{n}",
        "logs": f"arn:aws:logs:us-east-1:{account}:log-group:g{n}:*",
        "kms": f"arn:aws:kms:us-east-1:{account}:key/*",
        "cloudwatch": "*",
    }
    statement: dict[str, object] = {
        "Sid": f"S{index}",
        "Effect": "Deny" if index % 9 == 4 else "Allow",
        "Action": action,
        "Resource": resources[service],
    }
    if service != "iam" and index % 5 == 2:
        statement["Condition"] = {"Bool": {"aws:SecureTransport": "true"}}
    return statement


def policy_documents(account: str, *, policies: int = 11, per_policy: int = 10) -> list[str]:
    """The principal's policy documents; the last one allows the workloads' actions."""
    rng = random.Random(7)
    documents = []
    for p in range(policies):
        statements = [_statement(rng, account, p * per_policy + i) for i in range(per_policy)]
        if p == policies - 1:
            statements[-1] = {
                "Sid": "Workload",
                "Effect": "Allow",
                "Action": ["iam:GetUser", "iam:ListUsers", "iam:CreateUser"],
                "Resource": "*",
            }
        documents.append(json.dumps({"Version": "2012-10-17", "Statement": statements}))
    return documents


def make_principal(target: Target) -> Key:
    """The benchmark user with its 110 statements and an access key."""
    iam = target.iam()
    iam.create_user(UserName=BENCH_USER)
    documents = policy_documents(target.account_id)
    for i, document in enumerate(documents[:-1]):
        arn = iam.create_policy(PolicyName=f"bench-{i}", PolicyDocument=document)["Policy"]["Arn"]
        iam.attach_user_policy(UserName=BENCH_USER, PolicyArn=arn)
    iam.put_user_policy(
        UserName=BENCH_USER, PolicyName="bench-inline", PolicyDocument=documents[-1]
    )
    key = iam.create_access_key(UserName=BENCH_USER)["AccessKey"]
    return Key(key["AccessKeyId"], key["SecretAccessKey"])


def add_users(target: Target, count: int, *, prefix: str = "filler") -> None:
    """``count`` more users in the account, through the API (8 calls in flight)."""
    iam = target.iam()

    def make(i: int) -> None:
        iam.create_user(UserName=f"{prefix}-{i:06d}", Path="/filler/")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(make, range(count)))
