"""List calls cost one page, not the size of the account: ListUsers, ListRoles, ListPolicies
(Scope=Local) and GetAccountAuthorizationDetails with MaxItems=100, in an account of 100 and of
100,000 users, roles and customer managed policies.

Usage (from the repository's root)::

    .venv/bin/python -m bench.list_scale [--sizes 100,100000] [--calls 200]

The accounts are filled straight through the store's tables (100,000 rows of each kind take
seconds this way, an hour through the API); the calls go through the whole request pipeline
(SigV4, the policy engine, the handler, XML), in process, as the root user. Each call is timed
on the first page and on a page from the middle of the listing (its marker taken from a walk),
and the median of ``--calls`` runs is reported with its ratio to the smallest account.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from sqlalchemy import insert

from iamd.server import ServerConfig, first_start, open_data
from iamd.server.pipeline import HttpRequest, Pipeline
from iamd.storage.sql import make_engine, sqlite_url
from iamd.storage.sql import schema as t

__all__ = ["insert_users", "main"]

ACCOUNT = "123456789012"
KEY = ("AKIAIOSFODNN7LISTSCAL", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYLISTSCALE0")
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
DOCUMENT = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
    }
)
CALLS = {
    "ListUsers": ({"MaxItems": "100"}, "Users"),
    "ListRoles": ({"MaxItems": "100"}, "Roles"),
    "ListPolicies": ({"MaxItems": "100", "Scope": "Local"}, "Policies"),
    "GetAccountAuthorizationDetails": ({"MaxItems": "100"}, None),
}


def _fill(pipeline_store: object, size: int) -> None:
    engine = pipeline_store.engine  # type: ignore[attr-defined]
    now = dt.datetime.now(dt.UTC)
    chunk = 5000
    with engine.begin() as conn:
        for start in range(0, size, chunk):
            stop = min(size, start + chunk)
            conn.execute(
                insert(t.users),
                [
                    {
                        "id": f"AIDA{i:017d}",
                        "account_id": ACCOUNT,
                        "name": f"user-{i:07d}",
                        "name_lower": f"user-{i:07d}",
                        "path": "/",
                        "created_at": now,
                    }
                    for i in range(start, stop)
                ],
            )
            conn.execute(
                insert(t.roles),
                [
                    {
                        "id": f"AROA{i:017d}",
                        "account_id": ACCOUNT,
                        "name": f"role-{i:07d}",
                        "name_lower": f"role-{i:07d}",
                        "path": "/",
                        "created_at": now,
                        "assume_role_policy": TRUST,
                        "max_session_duration": 3600,
                    }
                    for i in range(start, stop)
                ],
            )
            arns = [f"arn:aws:iam::{ACCOUNT}:policy/policy-{i:07d}" for i in range(start, stop)]
            conn.execute(
                insert(t.managed_policies),
                [
                    {
                        "arn": arn,
                        "id": f"ANPA{i:017d}",
                        "account_id": ACCOUNT,
                        "name": f"policy-{i:07d}",
                        "name_lower": f"policy-{i:07d}",
                        "path": "/",
                        "default_version_id": "v1",
                        "next_version": 2,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i, arn in zip(range(start, stop), arns, strict=True)
                ],
            )
            conn.execute(
                insert(t.policy_versions),
                [
                    {"policy_arn": arn, "version_id": "v1", "document": DOCUMENT, "created_at": now}
                    for arn in arns
                ],
            )


def insert_users(data_dir: Path, account_id: str, count: int, prefix: str) -> None:
    """``count`` more users in the account of a (running) server's SQLite data set."""
    engine = make_engine(sqlite_url(data_dir))
    now = dt.datetime.now(dt.UTC)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(t.users),
                [
                    {
                        "id": f"AIDA{prefix.upper()}{i:016d}",
                        "account_id": account_id,
                        "name": f"{prefix}-{i:07d}",
                        "name_lower": f"{prefix}-{i:07d}",
                        "path": "/filler/",
                        "created_at": now,
                    }
                    for i in range(count)
                ],
            )
    finally:
        engine.dispose()


def _request(action: str, params: dict[str, str]) -> HttpRequest:
    body = urlencode({"Action": action, "Version": "2010-05-08", **params})
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    signed = AWSRequest(
        method="POST", url="http://127.0.0.1:9400/", data=body.encode(), headers=headers
    )
    SigV4Auth(Credentials(*KEY), "iam", "us-east-1").add_auth(signed)
    return HttpRequest(
        method="POST",
        raw_path="/",
        query_string="",
        headers=[("host", "127.0.0.1:9400"), *((k.lower(), v) for k, v in signed.headers.items())],
        body=body.encode(),
        source_ip="127.0.0.1",
    )


def _timed(pipeline: Pipeline, request: HttpRequest, calls: int) -> tuple[float, str]:
    """The median time of up to ``calls`` calls, stopping after 20 seconds."""
    answer = pipeline.handle(request)[0]
    if answer.status != 200:
        raise RuntimeError(answer.body.decode())
    samples = []
    deadline = time.monotonic() + 20
    for _ in range(calls):
        began = time.perf_counter()
        pipeline.handle(request)
        samples.append(time.perf_counter() - began)
        if time.monotonic() > deadline:
            break
    return statistics.median(samples) * 1000, answer.body.decode()


def _middle_marker(pipeline: Pipeline, action: str, params: dict[str, str], size: int) -> str:
    """The marker of the page halfway through the listing, walked in pages of 1,000 (None
    when the walk would take more than a minute)."""
    marker = None
    deadline = time.monotonic() + 60
    walk = {**params, "MaxItems": "1000"}
    for _ in range(max(1, size // 2000)):
        if time.monotonic() > deadline:
            return ""
        page = _request(action, {**walk, **({"Marker": marker} if marker else {})})
        found = re.search(r"<Marker>(.*?)</Marker>", pipeline.handle(page)[0].body.decode())
        if found is None:
            break
        marker = found.group(1)
    return marker or ""


def measure(size: int, calls: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory(prefix="iamd-list-") as tmp:
        config = ServerConfig(data_dir=Path(tmp))
        env = {
            "IAMD_ROOT_ACCESS_KEY_ID": KEY[0],
            "IAMD_ROOT_SECRET_ACCESS_KEY": KEY[1],
            "IAMD_ACCOUNT_ID": ACCOUNT,
        }
        opened = open_data(config, env)
        first_start(opened, config, env)
        _fill(opened.store, size)
        pipeline = Pipeline(opened.deps, config)
        out: dict[str, tuple[float, float]] = {}
        for action, (params, _) in CALLS.items():
            first, _body = _timed(pipeline, _request(action, params), calls)
            marker = _middle_marker(pipeline, action, params, size)
            middle = float("nan")
            if marker:
                middle, _ = _timed(pipeline, _request(action, {**params, "Marker": marker}), calls)
            out[action] = (first, middle)
            print(f"# {size:,}: {action} first {first:.2f} ms, middle {middle:.2f} ms", flush=True)
        opened.store.close()
        return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,100000")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {size: measure(size, args.calls) for size in sizes}
    base = results[sizes[0]]
    print(
        "| call (MaxItems=100) | "
        + " | ".join(f"{s:,} entities: first / middle page ms" for s in sizes)
        + f" | ratio {sizes[-1]:,} / {sizes[0]:,} |"
    )
    print("|---|" + "---:|" * (len(sizes) + 1))
    for action in CALLS:
        cells = [f"{results[s][action][0]:.2f} / {results[s][action][1]:.2f}" for s in sizes]
        last = results[sizes[-1]][action]
        ratio = last[0] / base[action][0]
        if last[1] == last[1] and base[action][1] == base[action][1]:  # not NaN
            ratio = max(ratio, last[1] / base[action][1])
        print(f"| {action} | " + " | ".join(cells) + f" | {ratio:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
