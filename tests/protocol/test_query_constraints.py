"""Every constraint of the input shape is checked and answered with AWS's ValidationError text."""

from __future__ import annotations

from typing import Any

import pytest
from query_synthetic import VERSION, synthetic_api

from iamd.errors import ValidationError
from iamd.protocol import load_service

IAM = load_service("iam")
STS = load_service("sts")


def refusal(service: Any, action: str, **fields: str) -> str:
    form = {"Action": action, "Version": service.api_version}
    form.update({name.replace("__", "."): text for name, text in fields.items()})
    with pytest.raises(ValidationError) as raised:
        service.parse(form)
    assert raised.value.code == "ValidationError"
    assert raised.value.status == 400
    assert raised.value.sender_fault
    message: str = raised.value.message
    return message


def test_a_missing_required_member_is_null() -> None:
    assert refusal(IAM, "CreateUser") == (
        "1 validation error detected: Value null at 'userName' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_maximum_length() -> None:
    assert refusal(IAM, "CreateUser", UserName="a" * 65) == (
        "1 validation error detected: Value at 'userName' failed to satisfy constraint: "
        "Member must have length less than or equal to 64"
    )


def test_minimum_length() -> None:
    assert refusal(IAM, "CreateUser", UserName="") == (
        "2 validation errors detected: Value at 'userName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1; Value at 'userName' failed to "
        "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    )


def test_pattern() -> None:
    assert refusal(IAM, "CreateUser", UserName="bad/name") == (
        "1 validation error detected: Value at 'userName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    )


def test_the_whole_value_must_match_the_pattern() -> None:
    message = refusal(IAM, "CreateUser", UserName="Bob", Path="/a/b")
    assert message == (
        "1 validation error detected: Value at 'path' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"
    )


def test_java_word_characters_are_ascii() -> None:
    assert "regular expression pattern" in refusal(IAM, "CreateUser", UserName="Zoë")


def test_enum() -> None:
    assert refusal(IAM, "UpdateAccessKey", AccessKeyId="AKIAIOSFODNN7EXAMPLE", Status="On") == (
        "1 validation error detected: Value at 'status' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Active, Inactive, Expired]"
    )


@pytest.mark.parametrize(
    ("text", "bound"),
    [("0", "greater than or equal to 1"), ("1001", "less than or equal to 1000")],
)
def test_value_range(text: str, bound: str) -> None:
    assert refusal(IAM, "ListUsers", MaxItems=text) == (
        "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: "
        f"Member must have value {bound}"
    )


def test_list_length() -> None:
    fields = {f"TransitiveTagKeys__member__{i}": f"k{i}" for i in range(1, 52)}
    message = refusal(
        STS,
        "AssumeRole",
        RoleArn="arn:aws:iam::123456789012:role/demo",
        RoleSessionName="s1",
        **fields,
    )
    assert message == (
        "1 validation error detected: Value at 'transitiveTagKeys' failed to satisfy constraint: "
        "Member must have length less than or equal to 50"
    )


def test_nested_list_paths() -> None:
    message = refusal(
        IAM,
        "CreateUser",
        UserName="Bob",
        Tags__member__1__Key="ok",
        Tags__member__1__Value="v",
        Tags__member__2__Key="bad*key",
        Tags__member__2__Value="v",
    )
    assert message == (
        "1 validation error detected: Value at 'tags.2.member.key' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"
    )


def test_a_required_member_inside_a_list_element() -> None:
    message = refusal(IAM, "CreateUser", UserName="Bob", Tags__member__1__Key="team")
    assert message == (
        "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_several_errors_are_counted_and_joined_in_model_order() -> None:
    message = refusal(IAM, "CreateUser", Path="nope", UserName="x" * 65)
    assert message == (
        "2 validation errors detected: "
        "Value at 'path' failed to satisfy constraint: Member must satisfy regular expression "
        "pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); "
        "Value at 'userName' failed to satisfy constraint: Member must have length less than or "
        "equal to 64"
    )


def test_path_names_lower_only_the_first_letter() -> None:
    message = refusal(IAM, "CreateSAMLProvider", Name="idp", SAMLMetadataDocument="short")
    assert (
        "Value at 'sAMLMetadataDocument' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1000" in message
    )


def test_lengths_count_code_points() -> None:
    letter = "\U0001d400"  # MATHEMATICAL BOLD CAPITAL A: a letter, two UTF-16 code units
    tag = {"UserName": "Bob", "Tags__member__1__Key": "k", "Tags__member__1__Value": letter * 256}
    assert IAM.parse(
        {
            "Action": "CreateUser",
            "Version": IAM.api_version,
            **{k.replace("__", "."): v for k, v in tag.items()},
        }
    )
    tag["Tags__member__1__Value"] = letter * 257
    assert "less than or equal to 256" in refusal(IAM, "CreateUser", **tag)


def test_map_keys_are_reported_once_with_all_their_constraints() -> None:
    message = refusal(
        IAM,
        "PutAccountProperties",
        Properties__entry__1__key="9lives",
        Properties__entry__1__value="v",
        Properties__entry__2__key="9more",
        Properties__entry__2__value="v",
    )
    assert message == (
        "1 validation error detected: Value at 'properties' failed to satisfy constraint: "
        "Map keys must satisfy constraint: [Member must have length less than or equal to 50, "
        "Member must have length greater than or equal to 1, Member must satisfy regular "
        "expression pattern: ^[A-Za-z][A-Za-z0-9/_-]*$]"
    )


def test_map_values_are_reported_once_with_all_their_constraints() -> None:
    message = refusal(
        IAM,
        "PutAccountProperties",
        Properties__entry__1__key="Color",
        Properties__entry__1__value="",
    )
    assert message == (
        "1 validation error detected: Value at 'properties' failed to satisfy constraint: "
        "Map value must satisfy constraint: [Member must have length less than or equal to 1024, "
        "Member must have length greater than or equal to 1]"
    )


def test_structured_map_values_are_checked_inside() -> None:
    message = refusal(
        IAM,
        "AcquireRole",
        TemplateArn="arn:aws:iam::aws:role-template/x",
        ReplacementValues__entry__1__key="k",
        ReplacementValues__entry__1__value__Values="",
    )
    assert message == (
        "1 validation error detected: Value at 'replacementValues.entry.1.value.values' failed to "
        "satisfy constraint: Member must have length greater than or equal to 1"
    )


def test_valid_input_passes() -> None:
    parsed = IAM.parse(
        {"Action": "CreateUser", "Version": "2010-05-08", "UserName": "Bob", "Path": "/team/"}
    )
    assert parsed.params == {"user_name": "Bob", "path": "/team/"}


SYNTHETIC = synthetic_api(
    {
        "Input": {
            "type": "structure",
            "required": ["Sizes"],
            "members": {
                "Data": {"shape": "Data"},
                "Sizes": {"shape": "Sizes"},
                "Ratio": {"shape": "Ratio"},
                "Counts": {"shape": "Counts"},
                "Labels": {"shape": "Labels"},
            },
        },
        "Labels": {"type": "map", "key": {"shape": "Key"}, "value": {"shape": "Label"}},
        "Label": {"type": "string"},
        "Data": {"type": "blob", "min": 2, "max": 3},
        "Sizes": {"type": "map", "key": {"shape": "Key"}, "value": {"shape": "Size"}, "max": 1},
        "Key": {"type": "string", "enum": ["a", "b"]},
        "Size": {"type": "integer", "min": 1, "max": 9},
        "Ratio": {"type": "double", "min": 0.5},
        "Counts": {"type": "list", "member": {"shape": "Size"}, "min": 1},
    }
)


def synthetic_refusal(**fields: str) -> str:
    return refusal(SYNTHETIC, "Op", **fields)


def test_blob_length_counts_bytes() -> None:
    assert (
        "Value at 'data' failed to satisfy constraint: "
        "Member must have length greater than or equal to 2"
        in synthetic_refusal(Data="AA==", Sizes="")
    )


def test_map_length() -> None:
    message = synthetic_refusal(
        Sizes__entry__1__key="a",
        Sizes__entry__1__value="1",
        Sizes__entry__2__key="b",
        Sizes__entry__2__value="2",
    )
    assert message == (
        "1 validation error detected: Value at 'sizes' failed to satisfy constraint: "
        "Member must have length less than or equal to 1"
    )


def test_map_key_enum_and_numeric_value_constraints() -> None:
    message = synthetic_refusal(Sizes__entry__1__key="c", Sizes__entry__1__value="10")
    assert message == (
        "2 validation errors detected: Value at 'sizes' failed to satisfy constraint: Map keys "
        "must satisfy constraint: [Member must satisfy enum value set: [a, b]]; Value at 'sizes' "
        "failed to satisfy constraint: Map value must satisfy constraint: [Member must have value "
        "less than or equal to 9, Member must have value greater than or equal to 1]"
    )


def test_list_elements_with_value_constraints() -> None:
    message = synthetic_refusal(
        Sizes="", Counts__member__1="5", Counts__member__2="0", Ratio="0.25"
    )
    assert message == (
        "2 validation errors detected: Value at 'ratio' failed to satisfy constraint: Member must "
        "have value greater than or equal to 0.5; Value at 'counts.2.member' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1"
    )


def test_an_empty_list_breaks_a_minimum_length() -> None:
    assert (
        "Value at 'counts' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
        in synthetic_refusal(Sizes="", Counts="")
    )


def test_a_present_empty_map_satisfies_required() -> None:
    assert SYNTHETIC.parse({"Action": "Op", "Version": VERSION, "Sizes": ""}).params == {
        "sizes": {}
    }


def test_a_map_with_checked_keys_and_free_values() -> None:
    message = synthetic_refusal(Sizes="", Labels__entry__1__key="z", Labels__entry__1__value="!")
    assert message == (
        "1 validation error detected: Value at 'labels' failed to satisfy constraint: Map keys "
        "must satisfy constraint: [Member must satisfy enum value set: [a, b]]"
    )
    parsed = SYNTHETIC.parse(
        {
            "Action": "Op",
            "Version": VERSION,
            "Sizes": "",
            "Labels.entry.1.key": "a",
            "Labels.entry.1.value": "!",
        }
    )
    assert parsed.params == {"sizes": {}, "labels": {"a": "!"}}
