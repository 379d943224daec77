"""STS figures: AssumeRole per second through a real ``iamd serve``, and what verifying a session
token costs.

Usage: .venv/bin/python bench/sts.py [--seconds 5] [--threads 8]

1. In process: sealing and opening one session token (AES-256-GCM + DEFLATE + JSON), the work
   a node does for a token it has not seen; and the authenticator's answer for a token it has
   seen (the account's change counter compared, nothing decrypted).
2. Over HTTP against ``iamd serve`` (SQLite, one worker), with boto3 signing each request:
   AssumeRole calls per second, one client and ``--threads`` clients; and GetCallerIdentity
   signed with a long-term key against the same signed with a session's credentials, which
   shows what the session adds to a request. Server CPU per request is read from /proc.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from iamd.credentials import SessionClaims, SessionKind, SessionTokenSealer, load_keyring

ROOT_KEY = ("AKIAIOSFODNN7STSBENCH", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSTSBENCHKEY")
ACCOUNT = "123456789012"


def _per_op(fn: Callable[[], object], seconds: float) -> float:
    """Microseconds per call of ``fn``, over about ``seconds``."""
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for _ in range(100):
            fn()
        count += 100
    return (time.perf_counter() - start) / count * 1e6


def token_costs(seconds: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        keyring = load_keyring(Path(tmp), {})
        sealer = SessionTokenSealer(keyring)
        now = dt.datetime.now(dt.UTC)
        claims = SessionClaims(
            access_key_id="ASIAEXAMPLEEXAMPLE12",
            secret_access_key="s" * 40,
            account_id=ACCOUNT,
            kind=SessionKind.ASSUMED_ROLE,
            principal_arn=f"arn:aws:sts::{ACCOUNT}:assumed-role/Reader/bench",
            principal_id="AROAEXAMPLEEXAMPLE123:bench",
            issuer_arn=f"arn:aws:iam::{ACCOUNT}:role/Reader",
            issuer_id="AROAEXAMPLEEXAMPLE123",
            issued_at=now,
            expires_at=now + dt.timedelta(hours=1),
            session_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
                }
            ),
            session_tags=(("Project", "Pegasus"), ("Cost-Center", "12345")),
        )
        token = sealer.seal(claims)
        return {
            "token_chars": float(len(token)),
            "seal_us": _per_op(lambda: sealer.seal(claims), seconds),
            "open_us": _per_op(
                lambda: sealer.open(token, now, access_key_id=claims.access_key_id), seconds
            ),
        }


# -- over HTTP ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cpu(pid: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks


@contextlib.contextmanager
def _server(data_dir: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "IAMD_"))}
    env.update(
        IAMD_ROOT_ACCESS_KEY_ID=ROOT_KEY[0],
        IAMD_ROOT_SECRET_ACCESS_KEY=ROOT_KEY[1],
        IAMD_ACCOUNT_ID=ACCOUNT,
    )
    args = [sys.executable, "-m", "iamd", "serve", "--port", str(port), "--data-dir", str(data_dir)]
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("iamd serve did not start") from None
                time.sleep(0.1)
        yield endpoint, process
    finally:
        process.terminate()
        process.wait(timeout=15)


def _client(endpoint: str, service: str, key: str, secret: str, token: str | None = None) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=Config(retries={"max_attempts": 1}, max_pool_connections=64),
    )


def _rate(
    calls: list[Callable[[], object]], seconds: float, pid: int
) -> tuple[float, float, float]:
    """(requests per second, server CPU ms per request, client p50 latency ms) with one thread
    per callable."""
    done = [0] * len(calls)
    latencies: list[list[float]] = [[] for _ in calls]
    stop = time.perf_counter() + seconds

    def run(i: int) -> None:
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            calls[i]()
            latencies[i].append(time.perf_counter() - t0)
            done[i] += 1

    cpu0, t0 = _cpu(pid), time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed, cpu = time.perf_counter() - t0, _cpu(pid) - cpu0
    total = sum(done)
    merged = sorted(x for lat in latencies for x in lat)
    return total / elapsed, cpu / total * 1000, merged[len(merged) // 2] * 1000


def http_figures(seconds: float, threads: int) -> dict[str, tuple[float, float, float]]:
    with tempfile.TemporaryDirectory() as tmp, _server(Path(tmp) / "data") as (endpoint, proc):
        iam = _client(endpoint, "iam", *ROOT_KEY)
        iam.create_user(UserName="bench")
        iam.put_user_policy(
            UserName="bench",
            PolicyName="assume",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
                }
            ),
        )
        key = iam.create_access_key(UserName="bench")["AccessKey"]
        role_arn = iam.create_role(
            RoleName="Reader",
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": ACCOUNT},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )["Role"]["Arn"]
        user = (key["AccessKeyId"], key["SecretAccessKey"])
        stss = [_client(endpoint, "sts", *user) for _ in range(threads)]

        def assume(sts: Any) -> Callable[[], object]:
            return lambda: sts.assume_role(RoleArn=role_arn, RoleSessionName="bench")

        results = {
            "AssumeRole, 1 client": _rate([assume(stss[0])], seconds, proc.pid),
            f"AssumeRole, {threads} clients": _rate([assume(s) for s in stss], seconds, proc.pid),
        }
        credentials = stss[0].assume_role(RoleArn=role_arn, RoleSessionName="bench")["Credentials"]
        session = _client(
            endpoint,
            "sts",
            credentials["AccessKeyId"],
            credentials["SecretAccessKey"],
            credentials["SessionToken"],
        )
        long_term = stss[0]
        results["GetCallerIdentity, long-term key"] = _rate(
            [long_term.get_caller_identity], seconds, proc.pid
        )
        results["GetCallerIdentity, session credentials"] = _rate(
            [session.get_caller_identity], seconds, proc.pid
        )
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    costs = token_costs(min(args.seconds, 2.0))
    print(f"session token: {costs['token_chars']:.0f} characters")
    print(
        f"seal one token: {costs['seal_us']:.1f} µs; open and check one: {costs['open_us']:.1f} µs"
    )
    print()
    print(
        "| over HTTP (iamd serve, SQLite, 1 worker) | requests/s | server CPU ms/request | p50 ms |"
    )
    print("| --- | ---: | ---: | ---: |")
    for name, (rate, cpu, p50) in http_figures(args.seconds, args.threads).items():
        print(f"| {name} | {rate:,.0f} | {cpu:.2f} | {p50:.1f} |")


if __name__ == "__main__":
    main()
