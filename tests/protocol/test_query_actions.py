"""Action and Version pick the operation; AWS's answers when they do not."""

from __future__ import annotations

import pytest

from iamd.errors import InvalidAction, MissingAction
from iamd.protocol import load_service

IAM = load_service("iam")
STS = load_service("sts")


@pytest.mark.parametrize(
    "form", [{}, {"Version": "2010-05-08"}, {"Action": "", "Version": "2010-05-08"}]
)
def test_no_action_is_missing_action(form: dict[str, str]) -> None:
    with pytest.raises(MissingAction) as raised:
        IAM.parse(form)
    assert raised.value.message == "Missing Action"
    assert (raised.value.code, raised.value.status) == ("MissingAction", 400)


def test_an_unknown_action_is_invalid_action() -> None:
    with pytest.raises(InvalidAction) as raised:
        IAM.parse({"Action": "CreateUsers", "Version": "2010-05-08"})
    assert raised.value.message == "Could not find operation CreateUsers for version 2010-05-08"
    assert (raised.value.code, raised.value.status) == ("InvalidAction", 400)


def test_actions_are_case_sensitive() -> None:
    with pytest.raises(InvalidAction, match="Could not find operation createuser for version"):
        IAM.parse({"Action": "createuser", "Version": "2010-05-08", "UserName": "Bob"})


def test_another_services_action_is_invalid() -> None:
    with pytest.raises(
        InvalidAction, match=r"^Could not find operation AssumeRole for version 2010-05-08$"
    ):
        IAM.parse({"Action": "AssumeRole", "Version": "2010-05-08"})


def test_a_wrong_version_is_invalid_action_even_for_a_real_action() -> None:
    with pytest.raises(InvalidAction) as raised:
        IAM.parse({"Action": "ListUsers", "Version": "2011-06-15"})
    assert raised.value.message == "Could not find operation ListUsers for version 2011-06-15"


@pytest.mark.parametrize(
    "form", [{"Action": "GetCallerIdentity"}, {"Action": "GetCallerIdentity", "Version": ""}]
)
def test_no_version_is_invalid_action(form: dict[str, str]) -> None:
    with pytest.raises(InvalidAction) as raised:
        STS.parse(form)
    assert raised.value.message == (
        "Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED"
    )


def test_the_action_is_checked_before_the_parameters() -> None:
    with pytest.raises(InvalidAction):
        IAM.parse({"Action": "Nope", "Version": "2010-05-08", "MaxItems": "x"})


def test_an_operation_without_a_handler_answers_as_an_unknown_one() -> None:
    error = IAM.invalid_action("CreateDelegationRequest")
    assert isinstance(error, InvalidAction)
    assert (
        error.message == "Could not find operation CreateDelegationRequest for version 2010-05-08"
    )


def test_a_known_action_parses() -> None:
    parsed = STS.parse({"Action": "GetCallerIdentity", "Version": "2011-06-15"})
    assert (parsed.operation, dict(parsed.params)) == ("GetCallerIdentity", {})
