"""Virtual MFA devices: create (seed, real PNG QR code), enable with two consecutive RFC 6238
codes computed here from the seed, resync, deactivate, delete, lists, tags; no code accepted
twice; refused requests change nothing; the STS verification API; the AWS CLI."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from iamd.domain import Principal, PrincipalType
from iamd.server import Opened, ServerConfig, open_data
from iamd.services.context import Call
from iamd.services.iam.mfa_devices import enable_mfa_device, verify_mfa_code
from iamd_testkit import Account, Server, aws_cli, aws_error

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BAD_CODE = "Authentication code for device is not valid."


def _codes(seed: bytes, offset_steps: int = 0) -> tuple[str, str]:
    """Two consecutive codes, the second for the current 30-second step (plus an offset)."""
    totp = pyotp.TOTP(seed.decode("ascii"))
    now = time.time() + 30 * offset_steps
    return totp.at(now - 30), totp.at(now)


def _device(iam: Any, name: str = "dev", **kwargs: Any) -> tuple[str, bytes]:
    created = iam.create_virtual_mfa_device(VirtualMFADeviceName=name, **kwargs)
    device = created["VirtualMFADevice"]
    return device["SerialNumber"], device["Base32StringSeed"]


def _enable(iam: Any, user: str, serial: str, seed: bytes) -> None:
    code1, code2 = _codes(seed)
    iam.enable_mfa_device(
        UserName=user, SerialNumber=serial, AuthenticationCode1=code1, AuthenticationCode2=code2
    )


@pytest.fixture(scope="module")
def opened(server: Server) -> Iterator[Opened]:
    """The server's data set, opened from the test process for the service-level checks."""
    config = ServerConfig(data_dir=server.data_dir, database_url=server.database_url)
    data = open_data(config, server.env, create=False)
    yield data
    data.store.close()


# -- create -------------------------------------------------------------------------------------


def test_create(account: Account) -> None:
    iam = account.iam()
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    assert device["SerialNumber"] == f"arn:aws:iam::{account.id}:mfa/phone"
    seed = device["Base32StringSeed"]
    assert len(seed) == 64
    assert len(base64.b32decode(seed)) == 40
    assert device["QRCodePNG"].startswith(PNG_SIGNATURE)
    assert "Tags" not in device


def test_create_with_a_path_and_tags(account: Account) -> None:
    iam = account.iam()
    device = iam.create_virtual_mfa_device(
        VirtualMFADeviceName="phone", Path="/team/a/", Tags=[{"Key": "k", "Value": "v"}]
    )["VirtualMFADevice"]
    assert device["SerialNumber"] == f"arn:aws:iam::{account.id}:mfa/team/a/phone"
    assert device["Tags"] == [{"Key": "k", "Value": "v"}]
    tags = iam.list_mfa_device_tags(SerialNumber=device["SerialNumber"])["Tags"]
    assert tags == [{"Key": "k", "Value": "v"}]


def test_seeds_differ(account: Account) -> None:
    iam = account.iam()
    assert _device(iam, "a")[1] != _device(iam, "b")[1]


def test_create_twice_is_refused_and_changes_nothing(account: Account) -> None:
    iam = account.iam()
    serial, _ = _device(iam, "phone")
    error = aws_error(iam.create_virtual_mfa_device, VirtualMFADeviceName="phone", Path="/x/")
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "MFA device already exists."
    listed = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in listed] == [serial]


def test_the_seed_is_encrypted_at_rest(account: Account, opened: Opened) -> None:
    from sqlalchemy import select

    from iamd.storage.sql import schema

    serial, seed = _device(account.iam())
    raw = base64.b32decode(seed)
    with opened.store.engine.connect() as conn:
        stored = conn.execute(
            select(schema.mfa_devices.c.seed).where(schema.mfa_devices.c.serial_number == serial)
        ).scalar_one()
    assert raw not in bytes(stored)
    assert seed not in bytes(stored)


# -- enable, resync, deactivate -----------------------------------------------------------------


def test_enable_with_two_consecutive_codes(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    assert iam.list_mfa_devices(UserName="u")["MFADevices"] == []
    _enable(iam, "u", serial, seed)
    (listed,) = iam.list_mfa_devices(UserName="u")["MFADevices"]
    assert (listed["UserName"], listed["SerialNumber"]) == ("u", serial)
    assert listed["EnableDate"] <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    (virtual,) = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert virtual["SerialNumber"] == serial
    assert virtual["User"]["UserName"] == "u"
    assert virtual["User"]["Arn"] == f"arn:aws:iam::{account.id}:user/u"
    assert "EnableDate" in virtual
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"] == []


@pytest.mark.parametrize(
    "codes",
    [("000000", "000000"), ("123456", "654321")],
)
def test_enable_with_wrong_codes_changes_nothing(account: Account, codes: tuple[str, str]) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, _ = _device(iam)
    error = aws_error(
        iam.enable_mfa_device,
        UserName="u",
        SerialNumber=serial,
        AuthenticationCode1=codes[0],
        AuthenticationCode2=codes[1],
    )
    assert (error.code, error.status, error.message) == ("InvalidAuthenticationCode", 403, BAD_CODE)
    assert iam.list_mfa_devices(UserName="u")["MFADevices"] == []
    (virtual,) = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert virtual == {"SerialNumber": serial}


def test_codes_in_the_wrong_order_are_refused(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    code1, code2 = _codes(seed)
    error = aws_error(
        iam.enable_mfa_device,
        UserName="u",
        SerialNumber=serial,
        AuthenticationCode1=code2,
        AuthenticationCode2=code1,
    )
    assert error.code == "InvalidAuthenticationCode"


def test_a_code_is_never_accepted_twice(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    code1, code2 = _codes(seed)
    kwargs = {"SerialNumber": serial, "AuthenticationCode1": code1, "AuthenticationCode2": code2}
    iam.enable_mfa_device(UserName="u", **kwargs)
    error = aws_error(iam.resync_mfa_device, UserName="u", **kwargs)
    assert (error.code, error.message) == ("InvalidAuthenticationCode", BAD_CODE)
    iam.deactivate_mfa_device(UserName="u", SerialNumber=serial)
    error = aws_error(iam.enable_mfa_device, UserName="u", **kwargs)
    assert error.code == "InvalidAuthenticationCode"
    assert iam.list_mfa_devices(UserName="u")["MFADevices"] == []


def test_enable_for_a_missing_user_or_device(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    code1, code2 = _codes(seed)
    error = aws_error(
        iam.enable_mfa_device,
        UserName="nobody",
        SerialNumber=serial,
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
    )
    missing = f"arn:aws:iam::{account.id}:mfa/missing"
    error = aws_error(
        iam.enable_mfa_device,
        UserName="u",
        SerialNumber=missing,
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"MFA Device with serial number {missing} does not exist."


def test_a_device_in_use_cannot_be_enabled_again(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_user(UserName="v")
    serial, seed = _device(iam)
    _enable(iam, "u", serial, seed)
    code1, code2 = _codes(seed, offset_steps=2)
    error = aws_error(
        iam.enable_mfa_device,
        UserName="v",
        SerialNumber=serial,
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "MFA Device is already in use."
    assert iam.list_mfa_devices(UserName="v")["MFADevices"] == []
    assert len(iam.list_mfa_devices(UserName="u")["MFADevices"]) == 1


def test_eight_devices_per_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    for n in range(8):
        serial, seed = _device(iam, f"d{n}")
        _enable(iam, "u", serial, seed)
    serial, seed = _device(iam, "d8")
    code1, code2 = _codes(seed)
    error = aws_error(
        iam.enable_mfa_device,
        UserName="u",
        SerialNumber=serial,
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert len(iam.list_mfa_devices(UserName="u")["MFADevices"]) == 8


def test_resync(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    _enable(iam, "u", serial, seed)
    code1, code2 = _codes(seed, offset_steps=2)
    iam.resync_mfa_device(
        UserName="u", SerialNumber=serial, AuthenticationCode1=code1, AuthenticationCode2=code2
    )
    error = aws_error(
        iam.resync_mfa_device,
        UserName="u",
        SerialNumber=serial,
        AuthenticationCode1="111111",
        AuthenticationCode2="222222",
    )
    assert error.code == "InvalidAuthenticationCode"


def test_resync_a_device_that_is_not_the_users(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    code1, code2 = _codes(seed)
    error = aws_error(
        iam.resync_mfa_device,
        UserName="u",
        SerialNumber=serial,
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )
    assert (error.code, error.status) == ("NoSuchEntity", 404)


def test_deactivate(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    _enable(iam, "u", serial, seed)
    iam.deactivate_mfa_device(UserName="u", SerialNumber=serial)
    assert iam.list_mfa_devices(UserName="u")["MFADevices"] == []
    (virtual,) = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert virtual == {"SerialNumber": serial}
    # A deactivated device can be enabled again, with new codes.
    code1, code2 = _codes(seed, offset_steps=2)
    iam.enable_mfa_device(
        UserName="u", SerialNumber=serial, AuthenticationCode1=code1, AuthenticationCode2=code2
    )


def test_deactivate_refusals(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_user(UserName="v")
    serial, seed = _device(iam)
    _enable(iam, "u", serial, seed)
    error = aws_error(iam.deactivate_mfa_device, UserName="nobody", SerialNumber=serial)
    assert (error.code, error.message) == (
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
    )
    error = aws_error(iam.deactivate_mfa_device, UserName="v", SerialNumber=serial)
    assert (error.code, error.message) == (
        "NoSuchEntity",
        f"MFA Device with serial number {serial} does not exist.",
    )
    missing = f"arn:aws:iam::{account.id}:mfa/missing"
    error = aws_error(iam.deactivate_mfa_device, UserName="u", SerialNumber=missing)
    assert error.message == f"MFA Device with serial number {missing} does not exist."
    assert len(iam.list_mfa_devices(UserName="u")["MFADevices"]) == 1


# -- delete -------------------------------------------------------------------------------------


def test_delete_an_enabled_device_is_refused(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    _enable(iam, "u", serial, seed)
    error = aws_error(iam.delete_virtual_mfa_device, SerialNumber=serial)
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert len(iam.list_mfa_devices(UserName="u")["MFADevices"]) == 1


def test_delete(account: Account) -> None:
    iam = account.iam()
    serial, _ = _device(iam, Tags=[{"Key": "k", "Value": "v"}])
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []
    assert aws_error(iam.list_mfa_device_tags, SerialNumber=serial).code == "NoSuchEntity"
    error = aws_error(iam.delete_virtual_mfa_device, SerialNumber=serial)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"MFA Device with serial number {serial} does not exist."
    serial_again, seed_again = _device(iam)
    assert serial_again == serial
    assert seed_again


def test_delete_user_waits_for_its_mfa_devices(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    _enable(iam, "u", serial, seed)
    error = aws_error(iam.delete_user, UserName="u")
    assert (error.code, error.status) == ("DeleteConflict", 409)
    assert error.message == "Cannot delete entity, must delete MFA device first."
    assert iam.get_user(UserName="u")["User"]["UserName"] == "u"
    iam.deactivate_mfa_device(UserName="u", SerialNumber=serial)
    iam.delete_user(UserName="u")


# -- lists, get, tags ---------------------------------------------------------------------------


def test_list_virtual_mfa_devices_by_assignment(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    assigned, seed = _device(iam, "a")
    _enable(iam, "u", assigned, seed)
    unassigned, _ = _device(iam, "b")

    def serials(status: str | None = None) -> set[str]:
        kwargs = {"AssignmentStatus": status} if status else {}
        return {
            d["SerialNumber"] for d in iam.list_virtual_mfa_devices(**kwargs)["VirtualMFADevices"]
        }

    assert serials() == {assigned, unassigned}
    assert serials("Any") == {assigned, unassigned}
    assert serials("Assigned") == {assigned}
    assert serials("Unassigned") == {unassigned}


def test_list_virtual_mfa_devices_pages(account: Account) -> None:
    iam = account.iam()
    made = {_device(iam, f"d{n}")[0] for n in range(3)}
    first = iam.list_virtual_mfa_devices(MaxItems=2)
    assert first["IsTruncated"] is True
    rest = iam.list_virtual_mfa_devices(MaxItems=2, Marker=first["Marker"])
    assert rest["IsTruncated"] is False
    seen = [d["SerialNumber"] for d in first["VirtualMFADevices"] + rest["VirtualMFADevices"]]
    assert sorted(seen) == sorted(made)
    error = aws_error(iam.list_virtual_mfa_devices, Marker="not-a-marker")
    assert (error.code, error.message) == ("ValidationError", "Invalid Marker.")


def test_list_mfa_devices_of_a_missing_user(account: Account) -> None:
    error = aws_error(account.iam().list_mfa_devices, UserName="nobody")
    assert (error.code, error.status) == ("NoSuchEntity", 404)


def test_list_mfa_devices_of_the_caller(account: Account) -> None:
    iam = account.iam()
    assert iam.list_mfa_devices()["MFADevices"] == []  # the root user's
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    _enable(iam, "u", serial, seed)
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:ListMFADevices", "Resource": "*"}],
    }
    iam.put_user_policy(UserName="u", PolicyName="p", PolicyDocument=json.dumps(document))
    key = iam.create_access_key(UserName="u")["AccessKey"]
    user_iam = account.iam(key["AccessKeyId"], key["SecretAccessKey"])
    (listed,) = user_iam.list_mfa_devices()["MFADevices"]
    assert (listed["UserName"], listed["SerialNumber"]) == ("u", serial)


def test_get_mfa_device(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    serial, seed = _device(iam)
    error = aws_error(iam.get_mfa_device, SerialNumber=serial, UserName="u")
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    _enable(iam, "u", serial, seed)
    got = iam.get_mfa_device(SerialNumber=serial, UserName="u")
    assert (got["UserName"], got["SerialNumber"]) == ("u", serial)
    assert "EnableDate" in got


def test_tags(account: Account) -> None:
    iam = account.iam()
    serial, _ = _device(iam, Tags=[{"Key": "a", "Value": "1"}])
    iam.tag_mfa_device(
        SerialNumber=serial, Tags=[{"Key": "b", "Value": "2"}, {"Key": "A", "Value": "3"}]
    )
    tags = iam.list_mfa_device_tags(SerialNumber=serial)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("A", "3"), ("b", "2")]
    iam.untag_mfa_device(SerialNumber=serial, TagKeys=["b"])
    assert iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [{"Key": "A", "Value": "3"}]


def test_tag_refusals_change_nothing(account: Account) -> None:
    iam = account.iam()
    serial, _ = _device(iam, Tags=[{"Key": "a", "Value": "1"}])
    missing = f"arn:aws:iam::{account.id}:mfa/missing"
    error = aws_error(iam.tag_mfa_device, SerialNumber=missing, Tags=[{"Key": "k", "Value": "v"}])
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert aws_error(iam.untag_mfa_device, SerialNumber=missing, TagKeys=["k"]).code == (
        "NoSuchEntity"
    )
    error = aws_error(
        iam.tag_mfa_device, SerialNumber=serial, Tags=[{"Key": "aws:x", "Value": "v"}]
    )
    assert (error.code, error.status) == ("InvalidInput", 400)
    many = [{"Key": f"k{n}", "Value": "v"} for n in range(50)]
    assert aws_error(iam.tag_mfa_device, SerialNumber=serial, Tags=many).code == "LimitExceeded"
    assert iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [{"Key": "a", "Value": "1"}]


# -- the verification API for STS, and the root user's devices ----------------------------------


def _call(opened: Opened, caller: Principal, uow: Any) -> Call:
    return Call(opened.deps, uow, caller, dt.datetime.now(dt.UTC), str(uuid.uuid4()))


def _user_principal(account: Account, name: str, user_id: str) -> Principal:
    return Principal(
        type=PrincipalType.USER,
        account_id=account.id,
        arn=f"arn:aws:iam::{account.id}:user/{name}",
        user_id=user_id,
        access_key_id="AKIATESTTESTTESTTEST",
        name=name,
        entity_id=user_id,
    )


def _verify(opened: Opened, caller: Principal, serial: str, code: str) -> bool:
    with opened.store.unit_of_work(write=True) as uow:
        call = _call(opened, caller, uow)
        return verify_mfa_code(call, caller.account_id, serial, code, call.now)


def test_verify_mfa_code_accepts_a_code_once(account: Account, opened: Opened) -> None:
    iam = account.iam()
    user_id = iam.create_user(UserName="u")["User"]["UserId"]
    serial, seed = _device(iam)
    _enable(iam, "u", serial, seed)
    caller = _user_principal(account, "u", user_id)
    # The enabling codes are spent; the next step's code is not yet shown (the window is one
    # step either way, so it is accepted now).
    next_code = pyotp.TOTP(seed.decode()).at(time.time() + 30)
    assert _verify(opened, caller, serial, next_code) is True
    assert _verify(opened, caller, serial, next_code) is False
    assert _verify(opened, caller, serial, "000000") is False


def test_verify_mfa_code_only_for_the_devices_owner(account: Account, opened: Opened) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    other_id = iam.create_user(UserName="v")["User"]["UserId"]
    serial, seed = _device(iam)
    _enable(iam, "u", serial, seed)
    code = pyotp.TOTP(seed.decode()).at(time.time() + 30)
    assert _verify(opened, _user_principal(account, "v", other_id), serial, code) is False
    unassigned, seed2 = _device(iam, "spare")
    code2 = pyotp.TOTP(seed2.decode()).now()
    assert _verify(opened, _user_principal(account, "v", other_id), unassigned, code2) is False


def test_the_root_users_device(account: Account, opened: Opened) -> None:
    iam = account.iam()
    serial, seed = _device(iam, "root-account-mfa-device")
    root = Principal(
        type=PrincipalType.ROOT,
        account_id=account.id,
        arn=f"arn:aws:iam::{account.id}:root",
        user_id=account.id,
        access_key_id=account.root_key_id,
    )
    code1, code2 = _codes(seed)
    with opened.store.unit_of_work(write=True) as uow:
        enable_mfa_device(
            _call(opened, root, uow),
            serial_number=serial,
            authentication_code1=code1,
            authentication_code2=code2,
        )
    (listed,) = iam.list_mfa_devices()["MFADevices"]
    assert (listed["SerialNumber"], listed["UserName"]) == (serial, account.id)
    (virtual,) = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert virtual["User"]["Arn"] == f"arn:aws:iam::{account.id}:root"
    assert virtual["User"]["UserId"] == account.id
    code = pyotp.TOTP(seed.decode()).at(time.time() + 30)
    assert _verify(opened, root, serial, code) is True
    iam.deactivate_mfa_device(SerialNumber=serial)
    assert iam.list_mfa_devices()["MFADevices"] == []


# -- the AWS CLI --------------------------------------------------------------------------------


def test_cli_creates_and_enables_a_virtual_mfa_device(account: Account, tmp_path: Path) -> None:
    qr = tmp_path / "qr.png"
    made = aws_cli(
        account,
        "iam",
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "cli-qr",
        "--outfile",
        str(qr),
        "--bootstrap-method",
        "QRCodePNG",
    )
    assert made.returncode == 0, made.stderr
    png = qr.read_bytes()
    assert png.startswith(PNG_SIGNATURE)
    assert b"IHDR" in png[:32] and png.endswith(b"IEND\xaeB`\x82")

    seed_file = tmp_path / "seed.txt"
    made = aws_cli(
        account,
        "iam",
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "cli-seed",
        "--outfile",
        str(seed_file),
        "--bootstrap-method",
        "Base32StringSeed",
    )
    assert made.returncode == 0, made.stderr
    serial = json.loads(made.stdout)["VirtualMFADevice"]["SerialNumber"]
    seed = seed_file.read_bytes().strip()
    assert len(base64.b32decode(seed)) == 40

    assert aws_cli(account, "iam", "create-user", "--user-name", "cli-user").returncode == 0
    code1, code2 = _codes(seed)
    enabled = aws_cli(
        account,
        "iam",
        "enable-mfa-device",
        "--user-name",
        "cli-user",
        "--serial-number",
        serial,
        "--authentication-code1",
        code1,
        "--authentication-code2",
        code2,
    )
    assert enabled.returncode == 0, enabled.stderr
    listed = aws_cli(account, "iam", "list-mfa-devices", "--user-name", "cli-user")
    assert [d["SerialNumber"] for d in json.loads(listed.stdout)["MFADevices"]] == [serial]
