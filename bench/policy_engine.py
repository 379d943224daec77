"""In-process policy decisions per second: iamd.policy against moto's evaluator.

Usage: .venv/bin/python bench/policy_engine.py [--seconds 1.0]

One principal (an IAM user) with 1, 10, 100 and 1,000 identity-policy statements in policies of
up to ten statements: a realistic mix of exact actions, wildcard actions, NotAction, resource
ARNs with wildcards and policy variables, and conditions (StringEquals on a principal tag with a
variable, IpAddress, Bool). The same documents and requests go to moto's
``moto.iam.access_control.IAMPolicy`` (one object per policy, built once, as iamd compiles once).
Finally the 100-statement principal is decided again with 10,000 unrelated compiled policies
held in the same registry, to show that a decision only touches the principal's own policies.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable

from moto.iam.access_control import IAMPolicy, PermissionResult

from iamd.policy import (
    CompiledPolicy,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    PrincipalType,
    Request,
    authorize,
    compile_policy,
    make_context,
    parse_policy,
)

ACCOUNT = "111122223333"
SERVICES = {
    "s3": ["GetObject", "PutObject", "DeleteObject", "ListBucket", "GetBucketPolicy"],
    "ec2": ["DescribeInstances", "StartInstances", "StopInstances", "RunInstances"],
    "iam": ["GetUser", "CreateUser", "ListUsers", "CreateAccessKey", "DeleteAccessKey"],
    "sqs": ["SendMessage", "ReceiveMessage", "DeleteMessage"],
    "sns": ["Publish", "Subscribe"],
    "dynamodb": ["GetItem", "PutItem", "Query", "Scan"],
    "lambda": ["InvokeFunction", "GetFunction"],
    "logs": ["PutLogEvents", "CreateLogStream"],
    "kms": ["Decrypt", "Encrypt", "GenerateDataKey"],
    "cloudwatch": ["PutMetricData", "GetMetricData"],
}


def _resource(rng: random.Random, service: str) -> str:
    n = rng.randrange(50)
    choices = {
        "s3": [f"arn:aws:s3:::bucket-{n}/*", f"arn:aws:s3:::bucket-{n}/home/${{aws:username}}/*"],
        "iam": [
            f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}",
            f"arn:aws:iam::{ACCOUNT}:user/team-{n}/*",
        ],
    }.get(service, [f"arn:aws:{service}:*:{ACCOUNT}:res-{n}*", "*"])
    return rng.choice(choices)


def _statement(rng: random.Random, i: int) -> dict[str, object]:
    service = rng.choice(sorted(SERVICES))
    kind = rng.random()
    st: dict[str, object] = {"Sid": f"S{i}", "Effect": "Allow"}
    if kind < 0.65:
        st["Action"] = [
            f"{service}:{a}"
            for a in rng.sample(SERVICES[service], min(len(SERVICES[service]), rng.randint(1, 3)))
        ]
    elif kind < 0.95:
        st["Action"] = f"{service}:{rng.choice(['Get', 'Describe', 'List', 'Put'])}*"
    else:
        st["Effect"] = rng.choice(["Allow", "Deny"])
        st["NotAction"] = [f"{service}:*", f"{rng.choice(sorted(SERVICES))}:Get*"]
    st["Resource"] = _resource(rng, service)
    if st["Effect"] == "Deny":
        st["Resource"] = {
            "s3": f"arn:aws:s3:::secret-{i}/*",
            "iam": f"arn:aws:iam::{ACCOUNT}:user/secret-{i}",
        }.get(service, f"arn:aws:{service}:*:{ACCOUNT}:secret-{i}")
    roll = rng.random()
    if roll < 0.15:
        st["Condition"] = {"StringEquals": {"aws:PrincipalTag/owner": "${aws:username}"}}
    elif roll < 0.25:
        st["Condition"] = {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}
    elif roll < 0.30:
        st["Condition"] = {"Bool": {"aws:SecureTransport": "true"}}
    return st


def documents(statements: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    items = [_statement(rng, i) for i in range(statements)]
    return [
        json.dumps({"Version": "2012-10-17", "Statement": items[i : i + 10]})
        for i in range(0, len(items), 10)
    ]


PRINCIPAL = Principal(PrincipalType.USER, f"arn:aws:iam::{ACCOUNT}:user/alice", ACCOUNT)
CONTEXT = {
    "aws:username": "alice",
    "aws:PrincipalTag/owner": "alice",
    "aws:SourceIp": "203.0.113.9",
    "aws:SecureTransport": "true",
}
TARGETS = [
    ("s3:GetObject", "arn:aws:s3:::bucket-3/home/alice/notes.txt"),
    ("s3:PutObject", "arn:aws:s3:::bucket-7/data.csv"),
    ("ec2:DescribeInstances", "*"),
    ("iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/alice"),
    ("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/bob"),
    ("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{ACCOUNT}:res-12"),
    ("dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:res-4x"),
    ("kms:Decrypt", f"arn:aws:kms:us-east-1:{ACCOUNT}:secret-3"),
]


def _once(fn: Callable[[], object], seconds: float) -> float:
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(50):
            fn()
        count += 50
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def rate(fn: Callable[[], object], seconds: float, rounds: int = 5) -> float:
    """Decisions per second: the best of ``rounds`` runs (the machine is shared), after a warm-up
    that fills the compiled policies' memo tables."""
    for _ in range(100):
        fn()
    return max(_once(fn, seconds / rounds) for _ in range(rounds))


def iamd_decider(docs: list[str]) -> tuple[Callable[[], object], PolicySet]:
    compiled = tuple(
        compile_policy(parse_policy(d, PolicyKind.MANAGED), f"p{i}", PolicyType.USER_MANAGED)
        for i, d in enumerate(docs)
    )
    policies = PolicySet(identity=compiled)
    context = make_context(CONTEXT)
    requests = [Request(PRINCIPAL, a, r, context=context) for a, r in TARGETS]
    state = {"i": 0}

    def decide() -> object:
        state["i"] = (state["i"] + 1) % len(requests)
        return authorize(requests[state["i"]], policies)

    return decide, policies


def cold_decider(docs: list[str]) -> Callable[[], object]:
    """Every request names a resource never seen before: no memoised plan can be reused."""
    _, policies = iamd_decider(docs)
    context = make_context(CONTEXT)
    state = {"i": 0}

    def decide_cold() -> object:
        state["i"] += 1
        action, resource = TARGETS[state["i"] % len(TARGETS)]
        fresh = resource if resource == "*" else f"{resource}-{state['i']}"
        return authorize(Request(PRINCIPAL, action, fresh, context=context), policies)

    return decide_cold


def moto_decider(docs: list[str]) -> Callable[[], object]:
    policies = [IAMPolicy(d) for d in docs]
    state = {"i": 0}

    def decide() -> object:
        state["i"] = (state["i"] + 1) % len(TARGETS)
        action, resource = TARGETS[state["i"]]
        permitted = False
        for policy in policies:
            result = policy.is_action_permitted(action, resource, None, CONTEXT)
            if result == PermissionResult.DENIED:
                return False
            permitted = permitted or result == PermissionResult.PERMITTED
        return permitted

    return decide


def unrelated_registry(count: int) -> dict[str, CompiledPolicy]:
    registry: dict[str, CompiledPolicy] = {}
    for n, text in enumerate(documents(count, seed=99)):
        policy = parse_policy(text, PolicyKind.MANAGED)
        for k in range(10):  # 10 policies per generated document batch
            pid = f"other-{n}-{k}"
            registry[pid] = compile_policy(policy, pid, PolicyType.USER_MANAGED)
            if len(registry) >= count:
                return registry
    return registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="measuring time per figure")
    args = parser.parse_args()
    print(f"{'statements':>10} {'iamd dec/s':>12} {'moto dec/s':>12} {'ratio':>8}")
    for n in (1, 10, 100, 1000):
        docs = documents(n)
        ours = rate(iamd_decider(docs)[0], args.seconds)
        theirs = rate(moto_decider(docs), args.seconds / 2)
        print(f"{n:>10} {ours:>12,.0f} {theirs:>12,.0f} {ours / theirs:>7.1f}x")
    for n in (100, 1000):
        cold = rate(cold_decider(documents(n)), args.seconds)
        print(f"{n:>10} statements, every resource new (no memoised plan): {cold:,.0f} dec/s")
    decide, policies = iamd_decider(documents(100))
    alone = rate(decide, args.seconds)
    registry = unrelated_registry(10_000)
    by_principal = {PRINCIPAL.arn: policies}
    context = make_context(CONTEXT)
    requests = [Request(PRINCIPAL, a, r, context=context) for a, r in TARGETS]
    state = {"i": 0}

    def decide_in_account() -> object:
        state["i"] = (state["i"] + 1) % len(requests)
        request = requests[state["i"]]
        return authorize(request, by_principal[request.principal.arn])

    crowded = rate(decide_in_account, args.seconds)
    print(
        f"100 statements alone: {alone:,.0f} dec/s; with {len(registry):,} unrelated "
        f"compiled policies in the registry: {crowded:,.0f} dec/s ({crowded / alone:.2f}x)"
    )


if __name__ == "__main__":
    main()
