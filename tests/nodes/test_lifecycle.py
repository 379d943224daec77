"""Graceful operation: SIGTERM lets the requests in flight finish, then stops; ``iamd serve
--workers N`` serves one port from N processes sharing the data set, from its very first start;
nodes starting at once on one empty database agree on one data set."""

from __future__ import annotations

import signal
import socket
import threading
import time
from pathlib import Path

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from iamd_nodes import new_master_key, node

from iamd_testkit import (
    DEFAULT_ACCOUNT,
    ROOT_KEY_ID,
    ROOT_SECRET,
    Account,
    Backend,
    PostgresDatabases,
    Server,
    aws_error,
    server_env,
)

#: How ``iamd serve`` ends after SIGTERM: uvicorn finishes, then re-raises the signal it caught
#: (as a process stopped by SIGTERM is expected to end), so the status is -SIGTERM.
STOPPED = (0, -signal.SIGTERM)


def _root(server: Server) -> Account:
    return Account(server, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET)


def _signed_create_user(server: Server, name: str) -> tuple[bytes, bytes]:
    """The head and body of a SigV4-signed CreateUser request, as raw HTTP/1.1."""
    body = f"Action=CreateUser&Version=2010-05-08&UserName={name}".encode()
    request = AWSRequest(
        method="POST",
        url=server.endpoint + "/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials(ROOT_KEY_ID, ROOT_SECRET), "iam", "us-east-1").add_auth(request)
    lines = ["POST / HTTP/1.1", f"Host: 127.0.0.1:{server.port}"]
    lines += [f"{k}: {v}" for k, v in request.headers.items() if k.lower() != "host"]
    lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
    return "\r\n".join(lines).encode(), body


def _children(pid: int) -> list[int]:
    """The live (not zombie) child processes of ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _gone(pids: list[int], timeout: float = 10) -> bool:
    """Whether every process in ``pids`` has ended (zombies count as ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":
                alive.append(pid)
        if not alive:
            return True
        time.sleep(0.1)
    return False


def test_sigterm_finishes_the_request_in_flight_then_stops(tmp_path: Path) -> None:
    server = node(tmp_path, "graceful", None, server_env())
    server.start()
    assert server.process is not None
    head, body = _signed_create_user(server, "in-flight")
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        conn.sendall(head + body[:10])  # the request has begun: headers and part of its body
        time.sleep(0.3)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert server.process.poll() is None, "stopped with a request in flight"
        with pytest.raises(OSError):  # no new connections once stopping
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
        conn.sendall(body[10:])
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
    assert b"<UserName>in-flight</UserName>" in reply
    assert server.process.wait(timeout=30) in STOPPED
    server.process = None
    server.start()
    try:
        assert _root(server).iam().get_user(UserName="in-flight")["User"]["UserName"]
    finally:
        server.stop()


def test_workers_share_one_port_and_the_data_set_from_the_first_start(
    backend: Backend, tmp_path: Path
) -> None:
    server = node(tmp_path, "workers", backend.database_url("workers"), server_env())
    server.serve_args = ("--workers", "2")
    server.start(timeout=60)
    assert server.process is not None
    try:
        deadline = time.monotonic() + 30
        while len(_children(server.process.pid)) < 2:  # the workers (and a resource tracker)
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)
        iam = _root(server).iam()
        iam.create_user(UserName="shared")
        # New connections each time: uvicorn's workers share the listening socket.
        for _ in range(30):
            assert _root(server).iam().get_user(UserName="shared")["User"]["UserName"]
        iam.delete_user(UserName="shared")
        for _ in range(10):
            assert aws_error(_root(server).iam().get_user, UserName="shared").code == (
                "NoSuchEntity"
            )
        workers = _children(server.process.pid)
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) in STOPPED
        assert _gone(workers)
    finally:
        server.stop()


@pytest.mark.postgres
def test_nodes_starting_at_once_on_an_empty_database_make_one_data_set(
    postgres: PostgresDatabases, tmp_path: Path
) -> None:
    url = postgres.create("first_start")
    env = server_env({"IAMD_MASTER_KEY": new_master_key()})
    nodes = [node(tmp_path, f"n{i}", url, env) for i in range(3)]
    errors: list[BaseException] = []

    def start(each: Server) -> None:
        try:
            each.start(timeout=60)
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=start, args=(each,)) for each in nodes]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
        assert errors == []
        for each in nodes:
            assert _root(each).sts().get_caller_identity()["Account"] == DEFAULT_ACCOUNT
        listed = nodes[0].iamd("account", "list")
        assert listed.stdout.count('"AccountId"') == 1
    finally:
        for each in nodes:
            each.stop()
