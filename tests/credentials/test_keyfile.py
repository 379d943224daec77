"""Loading the master keyring from the environment or <data_dir>/master.key, and rotating it."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from iamd.credentials import keyfile
from iamd.credentials.keyfile import (
    ENV_MASTER_KEY,
    ENV_MASTER_KEYS_OLD,
    KEY_FILE_NAME,
    generate_master_key,
    load_keyring,
    retire_old_keys,
    rotate_keyfile,
)
from iamd.credentials.keyring import MasterKeyError, MasterKeyring, key_id_of

KEY_A = bytes(range(32))
KEY_B = bytes(range(32, 64))
CONTEXT = b"iamd:test"


def b64(material: bytes) -> str:
    return base64.b64encode(material).decode("ascii")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- environment ---------------------------------------------------------------------------------


def test_env_key_is_used_and_no_file_is_made(tmp_path: Path) -> None:
    ring = load_keyring(tmp_path, {ENV_MASTER_KEY: b64(KEY_A)})
    assert ring.active_key_id == key_id_of(KEY_A)
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_env_key_wins_over_an_existing_file(tmp_path: Path) -> None:
    from_file = load_keyring(tmp_path, {})
    from_env = load_keyring(tmp_path, {ENV_MASTER_KEY: b64(KEY_A)})
    assert from_env.key_ids == (key_id_of(KEY_A),)
    assert from_file.active_key_id != from_env.active_key_id


def test_env_accepts_url_safe_unpadded_and_surrounding_space(tmp_path: Path) -> None:
    text = base64.urlsafe_b64encode(KEY_A).decode("ascii").rstrip("=")
    ring = load_keyring(tmp_path, {ENV_MASTER_KEY: f"  {text}\n"})
    assert ring.active_key_id == key_id_of(KEY_A)


def test_env_old_keys_decrypt(tmp_path: Path) -> None:
    blob = MasterKeyring(KEY_A).encrypt(b"secret", context=CONTEXT)
    env = {ENV_MASTER_KEY: b64(KEY_B), ENV_MASTER_KEYS_OLD: f" {b64(KEY_A)} ,, "}
    ring = load_keyring(tmp_path, env)
    assert ring.key_ids == (key_id_of(KEY_B), key_id_of(KEY_A))
    assert ring.decrypt(blob, context=CONTEXT) == b"secret"


def test_empty_env_key_falls_back_to_the_file(tmp_path: Path) -> None:
    load_keyring(tmp_path, {ENV_MASTER_KEY: "  "})
    assert (tmp_path / KEY_FILE_NAME).exists()


def test_old_keys_without_an_active_key_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MasterKeyError, match=ENV_MASTER_KEY):
        load_keyring(tmp_path, {ENV_MASTER_KEYS_OLD: b64(KEY_A)})


@pytest.mark.parametrize(
    "value",
    ["not base64!", b64(b"short"), b64(KEY_A + b"x"), "A" * 43 + "=="],
)
def test_malformed_env_key_is_refused_without_echoing_it(tmp_path: Path, value: str) -> None:
    with pytest.raises(MasterKeyError, match=ENV_MASTER_KEY) as error:
        load_keyring(tmp_path, {ENV_MASTER_KEY: value})
    assert value not in str(error.value)


def test_malformed_old_key_is_refused(tmp_path: Path) -> None:
    env = {ENV_MASTER_KEY: b64(KEY_A), ENV_MASTER_KEYS_OLD: "abc"}
    with pytest.raises(MasterKeyError, match=ENV_MASTER_KEYS_OLD):
        load_keyring(tmp_path, env)


def test_generate_master_key_is_a_usable_env_value(tmp_path: Path) -> None:
    value = generate_master_key()
    assert len(base64.b64decode(value)) == 32
    assert value != generate_master_key()
    load_keyring(tmp_path, {ENV_MASTER_KEY: value})


# -- key file: creation and reading -----------------------------------------------------------


def test_first_use_creates_a_private_key_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data" / "dir"
    ring = load_keyring(data_dir, {})
    path = data_dir / KEY_FILE_NAME
    assert mode_of(path) == 0o600
    assert mode_of(data_dir) == 0o700
    assert f"active {ring.active_key_id} " in path.read_text()
    assert [p.name for p in data_dir.iterdir()] == [KEY_FILE_NAME]


def test_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        load_keyring(tmp_path, {})
    finally:
        os.umask(previous)
    assert mode_of(tmp_path / KEY_FILE_NAME) == 0o600


def test_second_load_reads_the_same_key(tmp_path: Path) -> None:
    first = load_keyring(tmp_path, {})
    blob = first.encrypt(b"secret", context=CONTEXT)
    second = load_keyring(tmp_path, {})
    assert second.key_ids == first.key_ids
    assert second.decrypt(blob, context=CONTEXT) == b"secret"


def test_creation_never_replaces_an_existing_file(tmp_path: Path) -> None:
    winner = load_keyring(tmp_path, {})
    keyfile._create_keyfile(tmp_path)  # a second node losing the race
    assert load_keyring(tmp_path, {}).key_ids == winner.key_ids
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE_NAME]


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644, 0o601, 0o610])
def test_group_or_other_access_is_refused(tmp_path: Path, mode: int) -> None:
    load_keyring(tmp_path, {})
    path = tmp_path / KEY_FILE_NAME
    path.chmod(mode)
    with pytest.raises(MasterKeyError, match="chmod 600") as error:
        load_keyring(tmp_path, {})
    assert f"{mode:04o}" in str(error.value)


def test_owner_only_modes_are_accepted(tmp_path: Path) -> None:
    load_keyring(tmp_path, {})
    (tmp_path / KEY_FILE_NAME).chmod(0o400)
    load_keyring(tmp_path, {})


def test_a_directory_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE_NAME).mkdir(mode=0o700)
    with pytest.raises(MasterKeyError, match="regular file"):
        load_keyring(tmp_path, {})


def test_a_symlink_to_a_private_file_is_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "secrets"
    ring = load_keyring(elsewhere, {})
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / KEY_FILE_NAME).symlink_to(elsewhere / KEY_FILE_NAME)
    assert load_keyring(data_dir, {}).key_ids == ring.key_ids


def write_private(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    path.chmod(0o600)


def file_text(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("ascii")


def test_comments_and_blank_lines_are_ignored(tmp_path: Path) -> None:
    content = file_text(
        "# a comment",
        "",
        "iamd-master-keys 1",
        "   # indented comment",
        f"old {key_id_of(KEY_A)} {b64(KEY_A)}",
        f"active {key_id_of(KEY_B)} {b64(KEY_B)}",
    )
    write_private(tmp_path / KEY_FILE_NAME, content)
    ring = load_keyring(tmp_path, {})
    assert ring.key_ids == (key_id_of(KEY_B), key_id_of(KEY_A))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (file_text(f"active {key_id_of(KEY_A)} {b64(KEY_A)}"), "not an iamd master key file"),
        (b"", "not an iamd master key file"),
        (b"\xff\xfe", "not an iamd master key file"),
        (file_text("iamd-master-keys 1"), "exactly one 'active' key, not 0"),
        (
            file_text(
                "iamd-master-keys 1",
                f"active {key_id_of(KEY_A)} {b64(KEY_A)}",
                f"active {key_id_of(KEY_B)} {b64(KEY_B)}",
            ),
            "exactly one 'active' key, not 2",
        ),
        (file_text("iamd-master-keys 1", f"active {b64(KEY_A)}"), "expected 'active|old"),
        (
            file_text("iamd-master-keys 1", f"current {key_id_of(KEY_A)} {b64(KEY_A)}"),
            "expected 'active|old",
        ),
        (
            file_text("iamd-master-keys 1", f"active {key_id_of(KEY_B)} {b64(KEY_A)}"),
            "does not match its key id",
        ),
        (file_text("iamd-master-keys 1", "active 00000000 c2hvcnQ="), "base64 encodings"),
        (b"#" * (1 << 16) + b"\n", "too large"),
    ],
)
def test_malformed_key_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    write_private(tmp_path / KEY_FILE_NAME, content)
    with pytest.raises(MasterKeyError, match=message):
        load_keyring(tmp_path, {})


# -- rotation --------------------------------------------------------------------------------------


def test_rotation_makes_a_new_active_key_and_keeps_the_old(tmp_path: Path) -> None:
    first = load_keyring(tmp_path, {})
    blob = first.encrypt(b"secret", context=CONTEXT)
    rotated = rotate_keyfile(tmp_path)
    assert rotated.active_key_id != first.active_key_id
    assert rotated.key_ids[1:] == first.key_ids
    assert rotated.needs_rotation(blob)
    reloaded = load_keyring(tmp_path, {})
    assert reloaded.key_ids == rotated.key_ids
    assert reloaded.decrypt(blob, context=CONTEXT) == b"secret"


def test_rotation_keeps_the_file_private_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    load_keyring(tmp_path, {})
    rotate_keyfile(tmp_path)
    rotate_keyfile(tmp_path)
    assert mode_of(tmp_path / KEY_FILE_NAME) == 0o600
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [KEY_FILE_NAME, "master.key.lock"]
    assert len(load_keyring(tmp_path, {}).key_ids) == 3


def test_rotation_refuses_an_unsafe_file(tmp_path: Path) -> None:
    load_keyring(tmp_path, {})
    (tmp_path / KEY_FILE_NAME).chmod(0o644)
    with pytest.raises(MasterKeyError, match="chmod 600"):
        rotate_keyfile(tmp_path)


def test_rotation_needs_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(MasterKeyError, match="no key file"):
        rotate_keyfile(tmp_path)
    with pytest.raises(MasterKeyError, match="does not exist"):
        rotate_keyfile(tmp_path / "missing")


def test_retiring_keeps_only_the_active_key(tmp_path: Path) -> None:
    load_keyring(tmp_path, {})
    rotated = rotate_keyfile(tmp_path)
    retired = retire_old_keys(tmp_path)
    assert retired.key_ids == (rotated.active_key_id,)
    assert load_keyring(tmp_path, {}).key_ids == (rotated.active_key_id,)
    assert mode_of(tmp_path / KEY_FILE_NAME) == 0o600


def test_retiring_needs_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(MasterKeyError, match="no key file"):
        retire_old_keys(tmp_path)
