"""Reading the audit log a test server writes, and making requests boto3 would not make."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from iamd_testkit import Account, Server

Record = dict[str, Any]


def records(server: Server) -> list[Record]:
    path = server.data_dir / "audit.log"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def wait_for(server: Server, match: Callable[[Record], bool], timeout: float = 10.0) -> Record:
    """The first record that matches, waiting for the writer (it batches for milliseconds)."""
    deadline = time.monotonic() + timeout
    while True:
        for record in records(server):
            if match(record):
                return record
        if time.monotonic() > deadline:
            raise AssertionError("no matching audit record")
        time.sleep(0.05)


def record_of(server: Server, request_id: str) -> Record:
    return wait_for(server, lambda r: r.get("requestID") == request_id)


def request_id(answer: Mapping[str, Any]) -> str:
    """The request id of a boto3 answer or of a ClientError's response."""
    return str(answer["ResponseMetadata"]["RequestId"])


def raw_post(
    server: Server,
    body: str,
    *,
    account: Account | None = None,
    secret: str | None = None,
    service: str = "iam",
) -> tuple[int, str]:
    """POSTs ``body`` as it is (signed with the account's root key, or ``secret`` instead of
    its secret, or unsigned); returns the status and the x-amzn-RequestId header."""
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    if account is not None:
        request = AWSRequest(
            method="POST", url=server.endpoint + "/", data=body.encode(), headers=headers
        )
        creds = Credentials(account.root_key_id, secret or account.root_secret)
        SigV4Auth(creds, service, "us-east-1").add_auth(request)
        headers = dict(request.headers.items())
    sent = urllib.request.Request(
        server.endpoint + "/", data=body.encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(sent, timeout=10) as reply:
            return reply.status, reply.headers["x-amzn-RequestId"]
    except urllib.error.HTTPError as err:
        return err.code, err.headers["x-amzn-RequestId"]
