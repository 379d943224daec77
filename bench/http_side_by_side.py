"""iamd against moto_server, the same SigV4-signed workloads in one run on one machine.

Usage (from the repository's root)::

    .venv/bin/python -m bench.http_side_by_side [--seconds 10] [--connections 8]
        [--workers 1] [--tool wrk|asyncio] [--only get_user,list_users,...] [--json out.json]

Both servers get the same principal (an IAM user whose permissions come from 11 policies with
110 statements, ``bench.workload``), made through the IAM API. moto enforces IAM only once its
``INITIAL_NO_AUTH_ACTION_COUNT`` is used up: the principal is made with enforcement off, then
``/moto-api/reset-auth`` turns it on, so every measured moto request is authenticated (SigV4
against the key's secret) and authorized (its policies evaluated), as every iamd request is.
iamd runs as ``iamd serve`` with its audit log on (``<data-dir>/audit.log``).

Workloads, each on a freshly started server (moto's cost grows with the number of users, and
CreateUser leaves thousands behind):

- ``get_user``: GetUser of the principal itself;
- ``list_users``: ListUsers (100 per page) in an account of 100 users;
- ``create_user``: CreateUser with a new name each time, for at most 4 seconds (an account
  holds at most 5,000 users: IAM's quota, which iamd enforces);
- ``mix``: 1 CreateUser, 8 GetUser and 1 ListUsers in 10;
- ``list_users_10k``: ListUsers (100 per page) in an account of 10,000 users (iamd's account is
  filled past IAM's quota of 5,000 users through its store), for at least 30 seconds and with
  a 300-second timeout per request (moto takes seconds per request there).

Every request is signed before the clock starts (one request may be replayed: SigV4 does not
forbid it; CreateUser gets a fresh name per request). The load generator keeps ``connections``
connections busy, one request in flight on each.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.list_scale import insert_users
from bench.loadgen import Result, run_load, wrk_available
from bench.servers import ROOT, Running, cpu_seconds, iamd_server, moto_server
from bench.signing import Key, query_body, signed_request
from bench.workload import BENCH_USER, Target, add_users, make_principal

__all__ = ["main"]

WORKLOADS = ("get_user", "list_users", "create_user", "mix", "list_users_10k")
CREATE_SECONDS = 4.0


@dataclass(frozen=True)
class Row:
    workload: str
    server: str
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    server_cpu: float  # cores used by the server's processes during the run
    client_cpu: float  # cores used by the load generator


def _requests(workload: str, host: str, key: Key, count: int, run: str) -> list[bytes]:
    get = signed_request(host, query_body("GetUser", {"UserName": BENCH_USER}), key)
    listing = signed_request(host, query_body("ListUsers"), key)

    def create(i: int) -> bytes:
        return signed_request(host, query_body("CreateUser", {"UserName": f"{run}-{i:07d}"}), key)

    if workload == "get_user":
        return [get]
    if workload in ("list_users", "list_users_10k"):
        return [listing]
    if workload == "create_user":
        return [create(i) for i in range(count)]
    requests: list[bytes] = []
    for i in range(count // 10 + 1):
        requests += [create(i), *([get] * 4), listing, *([get] * 4)]
    return requests


def _measure(
    running: Running,
    workload: str,
    key: Key,
    *,
    seconds: float,
    connections: int,
    tool: str,
    expected_rate: float,
) -> Row:
    host = running.endpoint.removeprefix("http://")
    distinct = int(expected_rate * (seconds + 1) * 1.5) + 100
    slow = workload == "list_users_10k"  # moto answers in seconds there: wait for it
    timeout = 300.0 if slow else 10.0
    if slow:
        seconds = max(seconds, 30.0)
    if not slow:  # a warm-up's abandoned requests would still be running in moto
        warm = _requests(workload, host, key, 200, f"w{workload[:3]}")
        run_load(running.endpoint + "/", warm, seconds=1, connections=connections, tool=tool)
    requests = _requests(workload, host, key, distinct, f"r{workload[:3]}")
    before = cpu_seconds(running.pids)
    result: Result = run_load(
        running.endpoint + "/",
        requests,
        seconds=seconds,
        connections=connections,
        tool=tool,
        timeout=timeout,
    )
    used = cpu_seconds(running.pids) - before
    return Row(
        workload,
        running.name,
        round(result.rate, 2),
        round(result.p50_ms, 2),
        round(result.p99_ms, 2),
        result.non2xx + result.socket_errors,
        result.requests,
        round(used / result.seconds, 2),
        round(result.client_cpu_share, 2),
    )


@contextlib.contextmanager
def _server(
    name: str, tmp: Path, workers: int, env: dict[str, str]
) -> Iterator[tuple[Running, Target]]:
    if name == "iamd":
        with iamd_server(
            tmp / "iamd-data", workers=workers, log=tmp / "iamd.log", extra_env=env
        ) as running:
            yield running, Target("iamd", running.endpoint, ROOT, running.account_id)
    else:
        with moto_server(log=tmp / "moto.log") as running:
            yield running, Target("moto", running.endpoint, ROOT, running.account_id)


def _fill(target: Target, running: Running, total: int) -> None:
    """Bring the account to ``total`` users (moto with enforcement off while it fills). iamd
    enforces IAM's quota of 5,000 users per account, so past that its account is filled
    through the store's tables, as ``bench.list_scale`` does."""
    if running.name == "moto":
        _set_moto_auth(running, "inf")
    try:
        current = _count(target)
        if running.name == "iamd" and total > 4000 and running.data_dir is not None:
            insert_users(running.data_dir, running.account_id, total - current, "f")
        else:
            add_users(target, total - current, prefix=f"f{total}")
    finally:
        if running.name == "moto":
            _set_moto_auth(running, "0")


def _count(target: Target) -> int:
    paginator = target.iam().get_paginator("list_users")
    return sum(len(page["Users"]) for page in paginator.paginate())


def _set_moto_auth(running: Running, value: str) -> None:
    import urllib.request

    request = urllib.request.Request(
        f"{running.endpoint}/moto-api/reset-auth",
        data=value.encode(),
        method="POST",
        headers={"Content-Type": "text/plain"},  # a form body would hide it from moto
    )
    with urllib.request.urlopen(request, timeout=30):
        pass


def run_server(
    name: str,
    workloads: Sequence[str],
    *,
    seconds: float,
    connections: int,
    tool: str,
    workers: int,
    report: Callable[[Row], None],
    env: dict[str, str] | None = None,
) -> list[Row]:
    """Each workload on a server of its own, started fresh: what one workload leaves behind
    (thousands of users made by CreateUser) does not weigh on the next."""
    rows: list[Row] = []
    expected = {"iamd": 4000.0, "moto": 600.0}[name]
    for workload in workloads:
        with (
            tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp,
            _server(name, Path(tmp), workers, env or {}) as (running, target),
        ):
            if name == "moto":
                _set_moto_auth(running, "inf")
            key = make_principal(target)
            nobody = _unprivileged(target)
            if name == "moto":
                _set_moto_auth(running, "0")  # from now on every request is checked
            _check_enforced(target, key, nobody)
            if workload != "get_user":
                _fill(target, running, 10_000 if workload == "list_users_10k" else 100)
            row = _measure(
                running,
                workload,
                key,
                # An account holds 5,000 users (IAM's quota): CreateUser alone stops short of it.
                seconds=min(seconds, CREATE_SECONDS) if workload == "create_user" else seconds,
                connections=connections,
                tool=tool,
                expected_rate=expected,
            )
        report(row)
        rows.append(row)
    return rows


def _unprivileged(target: Target) -> Key:
    iam = target.iam()
    iam.create_user(UserName="bench-nobody")
    made = iam.create_access_key(UserName="bench-nobody")["AccessKey"]
    return Key(made["AccessKeyId"], made["SecretAccessKey"])


def _check_enforced(target: Target, key: Key, nobody: Key) -> None:
    """Both servers must authenticate and authorize: the principal is allowed, a user without
    policies and a wrong secret are refused."""
    from botocore.exceptions import ClientError

    target.iam(key).get_user(UserName=BENCH_USER)
    for refused in (nobody, Key(key.access_key_id, "x" * 40)):
        try:
            target.iam(refused).get_user(UserName=BENCH_USER)
        except ClientError as err:
            if err.response["ResponseMetadata"]["HTTPStatusCode"] == 403:
                continue
        raise RuntimeError(f"{target.name} does not enforce IAM: {refused.access_key_id}")


def _table(rows: Sequence[Row]) -> str:
    lines = [
        "| workload | server | requests/s | p50 ms | p99 ms | errors | server CPU | client CPU |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        rate = f"{r.rate:,.0f}" if r.rate >= 10 else f"{r.rate:.2f}"
        lines.append(
            f"| {r.workload} | {r.server} | {rate} | {r.p50_ms} | {r.p99_ms} | "
            f"{r.errors} | {r.server_cpu} | {r.client_cpu} |"
        )
    by = {(r.workload, r.server): r for r in rows}
    lines += ["", "| workload | iamd / moto (requests/s) |", "|---|---:|"]
    for workload in dict.fromkeys(r.workload for r in rows):
        iamd, moto = by.get((workload, "iamd")), by.get((workload, "moto"))
        if iamd and moto and moto.rate:
            lines.append(f"| {workload} | {iamd.rate / moto.rate:,.1f}x |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="iamd serve --workers")
    parser.add_argument("--tool", choices=("wrk", "asyncio"), default=None)
    parser.add_argument("--only", default=",".join(WORKLOADS))
    parser.add_argument("--servers", default="iamd,moto")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument(
        "--iamd-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment for iamd serve (IAMD_INLINE_READS=0, IAMD_GROUP_COMMIT=0, ...)",
    )
    args = parser.parse_args(argv)
    tool = args.tool or ("wrk" if wrk_available() else "asyncio")
    workloads = [w for w in args.only.split(",") if w]
    unknown = set(workloads) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    print(
        f"# {time.strftime('%Y-%m-%d %H:%M:%S')} load {os.getloadavg()[0]:.2f}, "
        f"{os.cpu_count()} CPUs, tool {tool}, {args.connections} connections, "
        f"{args.seconds:g} s per workload, iamd workers {args.workers}",
        flush=True,
    )
    rows: list[Row] = []
    for name in args.servers.split(","):
        rows += run_server(
            name,
            workloads,
            seconds=args.seconds,
            connections=args.connections,
            tool=tool,
            workers=args.workers,
            report=lambda row: print(json.dumps(asdict(row)), flush=True),
            env=dict(item.split("=", 1) for item in args.iamd_env),
        )
    print()
    print(_table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
