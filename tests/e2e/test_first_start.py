"""First start: the default account and its root key from the environment, or generated,
printed once and written to <data-dir>/root-credentials with mode 0600."""

from __future__ import annotations

import configparser
import stat
from pathlib import Path

from iamd_testkit import Account, Backend, Server, free_port, server_env


def _server(tmp_path: Path, env: dict[str, str], backend: Backend) -> Server:
    return Server(tmp_path / "data", free_port(), env, backend.database_url("first-start"))


def test_generated_root_key_is_written_once_with_mode_0600(
    tmp_path: Path, backend: Backend
) -> None:
    env = server_env()
    for name in ("IAMD_ROOT_ACCESS_KEY_ID", "IAMD_ROOT_SECRET_ACCESS_KEY", "IAMD_ACCOUNT_ID"):
        env.pop(name)
    server = _server(tmp_path, env, backend)
    server.start()
    try:
        path = server.data_dir / "root-credentials"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        parser = configparser.ConfigParser()
        parser.read(path)
        key_id = parser["default"]["aws_access_key_id"]
        secret = parser["default"]["aws_secret_access_key"]
        assert secret in server.log()  # printed once, on the first start
        identity = Account(server, "", key_id, secret).sts().get_caller_identity()
        account_id = identity["Account"]
        assert len(account_id) == 12
        server.stop()
        written = path.read_text()
        server.start()
        assert path.read_text() == written
        assert server.log().count(secret) == 1
        assert Account(server, "", key_id, secret).sts().get_caller_identity()["Account"] == (
            account_id
        )
    finally:
        server.stop()
    assert stat.S_IMODE((server.data_dir / "master.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(server.data_dir.stat().st_mode) == 0o700
    for name in ("iamd.sqlite3", "iamd.sqlite3-wal", "audit.log"):
        path = server.data_dir / name
        if backend.name == "sqlite" or name == "audit.log":
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, name


def test_root_key_and_account_id_from_the_environment(tmp_path: Path, backend: Backend) -> None:
    env = server_env({"IAMD_ACCOUNT_ID": "111122223333"})
    server = _server(tmp_path, env, backend)
    server.start()
    try:
        root = Account(
            server,
            "111122223333",
            env["IAMD_ROOT_ACCESS_KEY_ID"],
            env["IAMD_ROOT_SECRET_ACCESS_KEY"],
        )
        assert root.sts().get_caller_identity()["Arn"] == "arn:aws:iam::111122223333:root"
        assert not (server.data_dir / "root-credentials").exists()
        assert env["IAMD_ROOT_SECRET_ACCESS_KEY"] not in server.log()
    finally:
        server.stop()
