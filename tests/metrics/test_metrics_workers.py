"""With ``iamd serve --workers 2`` every worker's requests are counted, whichever worker answers
the scrape (prometheus_client's multiprocess mode)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from prometheus_client.parser import text_string_to_metric_families

from iamd_testkit import CLIENT_CONFIG, ROOT_KEY_ID, ROOT_SECRET, free_port, server_env


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "iamd", "serve", "--port", str(port), "--workers", "2"]
    command += ["--data-dir", str(tmp_path / "data")]
    with (tmp_path / "server.log").open("ab") as log:
        process = subprocess.Popen(command, env=server_env(), stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(endpoint + "/readyz", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=30)


def _requests_total(endpoint: str) -> float:
    with urllib.request.urlopen(endpoint + "/metrics", timeout=10) as reply:
        text = reply.read().decode()
    total = 0.0
    for family in text_string_to_metric_families(text):
        if family.name == "iamd_requests":
            total += sum(s.value for s in family.samples if s.name == "iamd_requests_total")
    return total


def test_every_worker_is_counted(two_workers: str) -> None:
    for _ in range(40):
        # A new client, so a new connection each time: the kernel hands them to both workers.
        boto3.client(
            "iam",
            endpoint_url=two_workers,
            region_name="us-east-1",
            aws_access_key_id=ROOT_KEY_ID,
            aws_secret_access_key=ROOT_SECRET,
            config=CLIENT_CONFIG,
        ).list_users()
    assert {_requests_total(two_workers) for _ in range(6)} == {40.0}
