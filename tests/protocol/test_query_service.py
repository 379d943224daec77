"""load_service: IAM and STS from the pinned botocore, compiled once."""

from __future__ import annotations

import dataclasses

import botocore.model
import pytest

from iamd.protocol import ParsedRequest, ServiceApi, load_service


def test_iam() -> None:
    iam = load_service("iam")
    assert (iam.name, iam.api_version) == ("iam", "2010-05-08")
    assert iam.xml_namespace == "https://iam.amazonaws.com/doc/2010-05-08/"
    assert len(iam.operation_names) == 181
    assert {"CreateUser", "GetUser", "DeleteUser"} <= iam.operation_names
    assert repr(iam) == "ServiceApi('iam', '2010-05-08')"


def test_sts() -> None:
    sts = load_service("sts")
    assert (sts.name, sts.api_version) == ("sts", "2011-06-15")
    assert sts.xml_namespace == "https://sts.amazonaws.com/doc/2011-06-15/"
    assert len(sts.operation_names) == 12
    assert "AssumeRole" in sts.operation_names


def test_a_service_is_loaded_once() -> None:
    assert load_service("iam") is load_service("iam")


def test_only_query_services_are_served() -> None:
    model = botocore.model.ServiceModel(
        {"metadata": {"protocol": "json", "apiVersion": "1"}, "operations": {}, "shapes": {}}, "x"
    )
    with pytest.raises(ValueError, match="speaks json"):
        ServiceApi("x", model)


def test_a_parsed_request_is_a_frozen_value() -> None:
    parsed = load_service("iam").parse(
        {"Action": "GetUser", "Version": "2010-05-08", "UserName": "Bob"}
    )
    assert parsed == ParsedRequest("GetUser", {"user_name": "Bob"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.operation = "DeleteUser"  # type: ignore[misc]


def test_recursive_shapes_are_refused_at_load() -> None:
    model = botocore.model.ServiceModel(
        {
            "metadata": {"protocol": "query", "apiVersion": "1", "xmlNamespace": "urn:x"},
            "operations": {"Op": {"name": "Op", "http": {}, "input": {"shape": "Node"}}},
            "shapes": {"Node": {"type": "structure", "members": {"Next": {"shape": "Node"}}}},
        },
        "x",
    )
    with pytest.raises(NotImplementedError, match="recursive shape Node"):
        ServiceApi("x", model)


def test_members_sharing_a_python_name_are_refused_at_load() -> None:
    model = botocore.model.ServiceModel(
        {
            "metadata": {"protocol": "query", "apiVersion": "1", "xmlNamespace": "urn:x"},
            "operations": {"Op": {"name": "Op", "http": {}, "input": {"shape": "In"}}},
            "shapes": {
                "In": {
                    "type": "structure",
                    "members": {"SSHKey": {"shape": "S"}, "SshKey": {"shape": "S"}},
                },
                "S": {"type": "string"},
            },
        },
        "x",
    )
    with pytest.raises(ValueError, match="share a Python name"):
        ServiceApi("x", model)


@pytest.mark.parametrize("kind", ["boolean", "timestamp"])
def test_constraints_on_booleans_and_timestamps_are_refused_at_load(kind: str) -> None:
    model = botocore.model.ServiceModel(
        {
            "metadata": {"protocol": "query", "apiVersion": "1", "xmlNamespace": "urn:x"},
            "operations": {"Op": {"name": "Op", "http": {}, "input": {"shape": "In"}}},
            "shapes": {
                "In": {"type": "structure", "members": {"Flag": {"shape": "F"}}},
                "F": {"type": kind, "min": 1},
            },
        },
        "x",
    )
    with pytest.raises(ValueError, match=f"constraints on the {kind} F are not supported"):
        ServiceApi("x", model)
