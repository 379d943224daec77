"""Every IAM and STS operation's input survives botocore's Query serializer and iamd's parser.

Values satisfying every constraint of the model are serialized by botocore's own serializer
(with its validation on, so botocore agrees they are valid), form-encoded as botocore sends
them, read back by ``read_form`` and parsed by ``ServiceApi.parse``; the result must be the
original values with snake_case keys, and no constraint may be reported.
"""

from __future__ import annotations

from typing import Any

import botocore.model
import botocore.serialize
import botocore.session
import pytest
from botocore.utils import percent_encode_sequence
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from query_values import inputs, snake

from iamd.protocol import load_service, read_form

SESSION = botocore.session.get_session()
MODELS = {name: SESSION.get_service_model(name) for name in ("iam", "sts")}
SERIALIZER = botocore.serialize.create_serializer("query", include_validation=True)
CASES = [(name, op) for name, model in MODELS.items() for op in sorted(model.operation_names)]


def test_every_operation_is_covered() -> None:
    assert sum(1 for name, _ in CASES if name == "iam") == 181
    assert sum(1 for name, _ in CASES if name == "sts") == 12


def _round_trip(service: str, operation: str, params: dict[str, Any]) -> Any:
    model = MODELS[service].operation_model(operation)
    request = SERIALIZER.serialize_to_request(params, model)
    body = percent_encode_sequence(request["body"]).encode("ascii")
    form = read_form(body, "", max_body=1 << 20, max_fields=10_000)
    parsed = load_service(service).parse(form)
    assert parsed.operation == operation
    return parsed.params


@pytest.mark.parametrize(("service", "operation"), CASES)
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_input_round_trips(service: str, operation: str, data: st.DataObject) -> None:
    shape = MODELS[service].operation_model(operation).input_shape
    params = {} if shape is None else data.draw(inputs(shape), label="params")
    expected = {} if shape is None else snake(shape, params)
    assert _round_trip(service, operation, params) == expected


def test_a_nested_list_of_structures_round_trips() -> None:
    params = {
        "UserName": "Bob",
        "Path": "/division_abc/subdivision_xyz/",
        "Tags": [{"Key": "team", "Value": "blue"}, {"Key": "env", "Value": ""}],
    }
    assert _round_trip("iam", "CreateUser", params) == {
        "user_name": "Bob",
        "path": "/division_abc/subdivision_xyz/",
        "tags": [{"key": "team", "value": "blue"}, {"key": "env", "value": ""}],
    }


def test_an_empty_list_round_trips_as_an_empty_list() -> None:
    params = {"UserName": "Bob", "Tags": []}
    assert _round_trip("iam", "CreateUser", params) == {"user_name": "Bob", "tags": []}


def test_a_map_round_trips() -> None:
    params = {"Properties": {"Color": "blue", "Size/Large": "x"}}
    assert _round_trip("iam", "PutAccountProperties", params) == {
        "properties": {"Color": "blue", "Size/Large": "x"}
    }


def test_names_that_xform_name_does_not_reverse_trivially() -> None:
    params = {"SAMLMetadataDocument": "x" * 1000, "Name": "MyIdP"}
    assert _round_trip("iam", "CreateSAMLProvider", params) == {
        "saml_metadata_document": "x" * 1000,
        "name": "MyIdP",
    }


def test_operations_without_input_parse_to_no_params() -> None:
    assert MODELS["iam"].operation_model("GetAccountSummary").input_shape is None
    assert _round_trip("iam", "GetAccountSummary", {}) == {}


def test_the_models_are_the_pinned_ones() -> None:
    assert isinstance(MODELS["iam"], botocore.model.ServiceModel)
    assert MODELS["iam"].api_version == "2010-05-08"
    assert MODELS["sts"].api_version == "2011-06-15"
