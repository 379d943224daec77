"""No value a client sends is repeated in an error: above all, never a sensitive one."""

from __future__ import annotations

import botocore.model
import botocore.session
import pytest

from iamd.errors import AwsError
from iamd.protocol import load_service

SESSION = botocore.session.get_session()
MARKER = "s3cr3tMARKER"


def _sensitive_members() -> list[tuple[str, str, str, int]]:
    found = []
    for service in ("iam", "sts"):
        model = SESSION.get_service_model(service)
        for operation in sorted(model.operation_names):
            shape = model.operation_model(operation).input_shape
            if shape is None:
                continue
            for name, member in shape.members.items():
                if member.metadata.get("sensitive") and member.type_name == "string":
                    found.append((service, operation, name, int(member.metadata.get("max", 64))))
    return found


SENSITIVE = _sensitive_members()


def test_the_models_mark_passwords_tokens_and_keys_sensitive() -> None:
    names = {(operation, name) for _, operation, name, _ in SENSITIVE}
    assert ("ChangePassword", "NewPassword") in names
    assert ("CreateLoginProfile", "Password") in names
    assert ("AssumeRoleWithSAML", "SAMLAssertion") in names
    assert ("AssumeRoleWithWebIdentity", "WebIdentityToken") in names
    assert ("UploadServerCertificate", "PrivateKey") in names


@pytest.mark.parametrize(("service", "operation", "name", "limit"), SENSITIVE)
def test_a_refused_sensitive_value_is_never_echoed(
    service: str, operation: str, name: str, limit: int
) -> None:
    api = load_service(service)
    refused = 0
    for value in (MARKER + "\x01" + "x" * limit, MARKER + "\x01", ""):
        try:
            api.parse({"Action": operation, "Version": api.api_version, name: value})
        except AwsError as error:
            refused += 1
            assert MARKER not in error.message
            assert MARKER not in api.serialize_error(error, "r").decode()
    constrained = any(
        key in ("max", "pattern") for key in _member(service, operation, name).metadata
    )
    assert refused >= 1 or not constrained


def _member(service: str, operation: str, name: str) -> botocore.model.Shape:
    shape = SESSION.get_service_model(service).operation_model(operation).input_shape
    assert isinstance(shape, botocore.model.StructureShape)
    return shape.members[name]


@pytest.mark.parametrize(
    ("operation", "field", "value"),
    [
        ("CreateUser", "UserName", MARKER + "/" + "x" * 64),
        ("CreateUser", "Tags.member.1.Key", MARKER + "*"),
        ("ListUsers", "MaxItems", MARKER),
        ("UpdateAccountPasswordPolicy", "RequireSymbols", MARKER),
        ("PutAccountProperties", "Properties.entry.1.key", "9" + MARKER),
    ],
)
def test_no_other_refused_value_is_echoed_either(operation: str, field: str, value: str) -> None:
    api = load_service("iam")
    with pytest.raises(AwsError) as raised:
        api.parse({"Action": operation, "Version": api.api_version, field: value})
    assert MARKER not in raised.value.message


def test_sensitive_shapes_are_known_to_the_model() -> None:
    model = SESSION.get_service_model("iam")
    shape = model.operation_model("CreateLoginProfile").input_shape
    assert isinstance(shape, botocore.model.StructureShape)
    assert shape.members["Password"].metadata["sensitive"] is True
