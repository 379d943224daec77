"""``iamd rotate-master-key`` re-encrypts every stored secret under a new master key while
requests run, none failing; both keys are accepted until the old one is retired."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from iamd_nodes import (
    call,
    key_file_ids,
    new_master_key,
    node,
    secret_key_ids,
    store_every_kind_of_secret,
)

from iamd.server.rekey import PLAINTEXT_COLUMNS, SECRET_COLUMNS
from iamd.storage.sql.reencrypt import binary_columns
from iamd_testkit import (
    DEFAULT_ACCOUNT,
    ROOT_KEY_ID,
    ROOT_SECRET,
    Account,
    PostgresDatabases,
    Server,
    free_port,
    server_env,
)


def _root(server: Server) -> Account:
    return Account(server, DEFAULT_ACCOUNT, ROOT_KEY_ID, ROOT_SECRET)


class Load:
    """Requests that need the master key on every call, from threads, until stopped: an access
    key made on one node (encrypted there) is used on another (decrypted there, on a cache miss)
    and deleted; with ``sessions``, a session token sealed by one node (GetSessionToken) is
    opened by the other."""

    def __init__(self, nodes: list[Server], threads: int = 3, *, sessions: bool = False) -> None:
        self.failures: list[str] = []
        self.done = 0
        self._sessions = sessions
        self._stop = threading.Event()
        self._lock = threading.Lock()
        for i in range(threads):
            _root(nodes[0]).iam().create_user(UserName=f"load{i}")
        self._threads = [
            threading.Thread(target=self._run, args=(nodes, f"load{i}", i)) for i in range(threads)
        ]

    def _run(self, nodes: list[Server], user: str, index: int) -> None:
        maker = _root(nodes[index % len(nodes)]).iam()
        while not self._stop.is_set():
            made = call(lambda: maker.create_access_key(UserName=user)["AccessKey"])
            if not made.ok:
                self._fail(f"CreateAccessKey: {made.error}")
                continue
            key = (made.value["AccessKeyId"], made.value["SecretAccessKey"])
            user_node = Account(nodes[(index + 1) % len(nodes)], DEFAULT_ACCOUNT, *key)
            used = call(lambda: user_node.sts().get_caller_identity())  # noqa: B023
            if not used.ok:
                self._fail(f"GetCallerIdentity: {used.error}")
            if self._sessions:
                self._session(nodes, index, key)
            gone = call(
                lambda: maker.delete_access_key(UserName=user, AccessKeyId=key[0])  # noqa: B023
            )
            if not gone.ok:
                self._fail(f"DeleteAccessKey: {gone.error}")
            with self._lock:
                self.done += 1

    def _session(self, nodes: list[Server], index: int, key: tuple[str, str]) -> None:
        sealed_by = Account(nodes[index % len(nodes)], DEFAULT_ACCOUNT, *key).sts()
        made = call(lambda: sealed_by.get_session_token()["Credentials"])
        if not made.ok:
            self._fail(f"GetSessionToken: {made.error}")
            return
        session = made.value
        opened_by = Account(nodes[(index + 1) % len(nodes)], DEFAULT_ACCOUNT, "", "").client(
            "sts", session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"]
        )
        used = call(lambda: opened_by.get_caller_identity())
        if not used.ok:
            self._fail(f"GetCallerIdentity with a session token: {used.error}")

    def _fail(self, what: str) -> None:
        with self._lock:
            self.failures.append(what)

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


def _rotate_under_load(nodes: list[Server], *options: str, sessions: bool = False) -> Load:
    with Load(nodes, sessions=sessions) as load:
        time.sleep(0.5)
        before = load.done
        result = nodes[0].iamd("rotate-master-key", *options, check=False)
        assert result.returncode == 0, result.stderr
        time.sleep(0.5)
        during_and_after = load.done - before
    assert load.failures == []
    assert during_and_after > 0
    return load


def test_every_binary_column_is_a_known_secret_or_known_plaintext() -> None:
    assert set(binary_columns()) == set(SECRET_COLUMNS) | PLAINTEXT_COLUMNS


def test_rotation_while_requests_run_none_failing(tmp_path: Path) -> None:
    server = node(tmp_path, "one", None, server_env())
    server.start()
    try:
        user_key = store_every_kind_of_secret(_root(server))
        old = key_file_ids(server.data_dir)
        _rotate_under_load([server])
        new = key_file_ids(server.data_dir)
        assert len(new) == 1 and new != old  # rotated, then the old key retired
        assert all(ids == {new[0]} for ids in secret_key_ids(server).values())
        assert all(secret_key_ids(server).values()), "a kind of secret was not stored"
        server.stop()
        server.start()  # only the new key now: every secret must open with it
        assert _root(server).sts().get_caller_identity()["Account"] == DEFAULT_ACCOUNT
        assert (
            Account(server, DEFAULT_ACCOUNT, *user_key)
            .sts()
            .get_caller_identity()["Arn"]
            .endswith(":user/keeper")
        )
    finally:
        server.stop()


@pytest.mark.postgres
def test_two_nodes_sharing_a_key_file_rotate_while_serving(
    postgres: PostgresDatabases, tmp_path: Path
) -> None:
    url = postgres.create("rotation")
    shared = tmp_path / "shared-data"
    nodes = [node(tmp_path, f"n{i}", url, server_env(), data_dir=shared) for i in range(2)]
    try:
        for each in nodes:
            each.start()
        old = key_file_ids(shared)
        # Session tokens sealed under the old key stay valid while it is kept.
        _rotate_under_load(nodes, "--keep-old-key", sessions=True)
        new = key_file_ids(shared)
        assert new[1:] == old and new[0] not in old
        assert all(ids <= {new[0]} for ids in secret_key_ids(nodes[0]).values())
    finally:
        for each in nodes:
            each.stop()


def test_rotation_with_keys_in_the_environment_by_rolling_restart(tmp_path: Path) -> None:
    first, second = new_master_key(), new_master_key()
    server = node(tmp_path, "env", None, server_env({"IAMD_MASTER_KEY": first}))

    def restart(env: dict[str, str]) -> None:
        server.stop()
        server.env = server_env(env)
        server.port = free_port()
        server.start()

    server.start()
    try:
        user_key = store_every_kind_of_secret(_root(server))
        restart({"IAMD_MASTER_KEY": second, "IAMD_MASTER_KEYS_OLD": first})
        assert Account(server, DEFAULT_ACCOUNT, *user_key).sts().get_caller_identity()
        result = server.iamd("rotate-master-key", check=False)
        assert result.returncode == 0, result.stderr
        assert "re-encrypted" in result.stderr
        restart({"IAMD_MASTER_KEY": second})
        assert Account(server, DEFAULT_ACCOUNT, *user_key).sts().get_caller_identity()
        server.stop()
        server.env = server_env({"IAMD_MASTER_KEY": first})
        with pytest.raises(RuntimeError, match="master key does not open this data set"):
            server.start()
    finally:
        server.stop()


def test_keep_old_key_then_reencrypt_only_retires_it(tmp_path: Path) -> None:
    server = node(tmp_path, "keep", None, server_env())
    server.start()
    try:
        store_every_kind_of_secret(_root(server))
        old = key_file_ids(server.data_dir)
        kept = server.iamd("rotate-master-key", "--keep-old-key", check=False)
        assert kept.returncode == 0, kept.stderr
        both = key_file_ids(server.data_dir)
        assert both[1:] == old and both[0] not in old
        retired = server.iamd("rotate-master-key", "--reencrypt-only", check=False)
        assert retired.returncode == 0, retired.stderr
        assert key_file_ids(server.data_dir) == both[:1]
        assert _root(server).sts().get_caller_identity()
    finally:
        server.stop()
