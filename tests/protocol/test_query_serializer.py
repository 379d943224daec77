"""serialize_result writes AWS's XML from the output shape, and refuses results that do not fit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from query_synthetic import synthetic_api

from iamd.protocol import load_service

IAM = load_service("iam")
STS = load_service("sts")
CREATED = dt.datetime(2012, 5, 8, 23, 34, 1, 999999, tzinfo=dt.UTC)


def user(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "path": "/",
        "user_name": "Bob",
        "user_id": "AIDACKCEVSQ6C2EXAMPLE",
        "arn": "arn:aws:iam::123456789012:user/Bob",
        "create_date": CREATED,
    }
    return {**base, **changes}


def test_a_result_document_as_aws_sends_it() -> None:
    body = IAM.serialize_result(
        "CreateUser", {"user": user()}, "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"
    )
    assert body.decode() == (
        '<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n'
        "  <CreateUserResult>\n"
        "    <User>\n"
        "      <Path>/</Path>\n"
        "      <UserName>Bob</UserName>\n"
        "      <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>\n"
        "      <Arn>arn:aws:iam::123456789012:user/Bob</Arn>\n"
        "      <CreateDate>2012-05-08T23:34:01Z</CreateDate>\n"
        "    </User>\n"
        "  </CreateUserResult>\n"
        "  <ResponseMetadata>\n"
        "    <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>\n"
        "  </ResponseMetadata>\n"
        "</CreateUserResponse>\n"
    )


def test_an_operation_without_output_has_no_result_element() -> None:
    assert IAM.serialize_result("DeleteUser", None, "r").decode() == (
        '<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n'
        "  <ResponseMetadata>\n    <RequestId>r</RequestId>\n  </ResponseMetadata>\n"
        "</DeleteUserResponse>\n"
    )


def test_an_operation_without_output_refuses_a_result() -> None:
    with pytest.raises(TypeError, match="DeleteUser has no output shape"):
        IAM.serialize_result("DeleteUser", {"user": user()}, "r")


def test_an_empty_result_of_an_operation_without_output_is_fine() -> None:
    assert b"<DeleteUserResult" not in IAM.serialize_result("DeleteUser", {}, "r")


def test_none_and_missing_members_are_omitted() -> None:
    body = IAM.serialize_result(
        "ListUsers", {"users": [], "is_truncated": False, "marker": None}, "r"
    )
    assert b"<Marker" not in body
    assert b"<Users/>" in body
    assert b"<IsTruncated>false</IsTruncated>" in body


def test_list_members_are_member_elements() -> None:
    body = IAM.serialize_result(
        "ListUsers",
        {"users": [user(), user(user_name="Al")], "is_truncated": True, "marker": "m"},
        "r",
    )
    assert body.count(b"<member>") == 2
    assert b"<IsTruncated>true</IsTruncated>" in body


def test_maps_are_entries() -> None:
    body = IAM.serialize_result("GetAccountSummary", {"summary_map": {"Users": 3}}, "r")
    assert (
        b"<SummaryMap>\n      <entry>\n        <key>Users</key>\n"
        b"        <value>3</value>\n      </entry>\n    </SummaryMap>" in body
    )


def test_an_empty_structure_is_an_empty_element() -> None:
    assert b"<User/>" in IAM.serialize_result("GetUser", {"user": {}}, "r")


def test_timestamps_are_utc_to_the_second() -> None:
    other_zone = dt.datetime(2012, 5, 9, 1, 34, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    body = IAM.serialize_result("GetUser", {"user": user(create_date=other_zone)}, "r")
    assert b"<CreateDate>2012-05-08T23:34:01Z</CreateDate>" in body


def test_text_is_escaped() -> None:
    body = IAM.serialize_result("GetUser", {"user": user(path="/<a&b>\r/")}, "<id>")
    assert b"<Path>/&lt;a&amp;b&gt;&#13;/</Path>" in body
    assert b"<RequestId>&lt;id&gt;</RequestId>" in body


@pytest.mark.parametrize("text", ["a\x00b", "a\x1fb", "\ufffe", "\ud800"])
def test_characters_xml_cannot_carry_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"XML 1\.0 cannot represent"):
        IAM.serialize_result("GetUser", {"user": user(user_name=text)}, "r")


def test_an_unknown_key_is_a_bug_not_silently_dropped() -> None:
    with pytest.raises(TypeError, match="User has no member password"):
        IAM.serialize_result("GetUser", {"user": user(password="hunter2")}, "r")


def test_an_unknown_top_level_key_is_refused() -> None:
    with pytest.raises(TypeError, match="GetUserResponse has no member users"):
        IAM.serialize_result("GetUser", {"users": []}, "r")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"user_name": 5}, "UserName cannot be serialized as string from int"),
        ({"create_date": "2012-05-08"}, "CreateDate cannot be serialized as timestamp from str"),
        ({"create_date": dt.datetime(2012, 5, 8)}, "CreateDate cannot be serialized as timestamp"),
        ({"tags": {"a": "b"}}, "Tags must be a list, not dict"),
        ({"tags": ["a"]}, "must be a mapping, not str"),
        ({"permissions_boundary": "arn"}, "must be a mapping, not str"),
    ],
)
def test_values_of_the_wrong_type_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        IAM.serialize_result("GetUser", {"user": user(**changes)}, "r")


def test_booleans_are_not_integers_and_integers_not_booleans() -> None:
    with pytest.raises(
        TypeError, match="PackedPolicySize cannot be serialized as integer from bool"
    ):
        STS.serialize_result("GetFederationToken", {"packed_policy_size": True}, "r")
    with pytest.raises(TypeError, match="IsTruncated cannot be serialized as boolean from int"):
        IAM.serialize_result("ListUsers", {"users": [], "is_truncated": 1}, "r")


def test_a_map_given_a_list_is_refused() -> None:
    with pytest.raises(TypeError, match="SummaryMap must be a mapping, not list"):
        IAM.serialize_result("GetAccountSummary", {"summary_map": []}, "r")


def test_blobs_must_be_bytes() -> None:
    with pytest.raises(TypeError, match="Content cannot be serialized as blob from str"):
        IAM.serialize_result("GetCredentialReport", {"content": "text"}, "r")


FLOATS = synthetic_api(
    {
        "Input": {"type": "structure", "members": {}},
        "Output": {
            "type": "structure",
            "members": {"Ratio": {"shape": "Ratio"}, "Big": {"shape": "Big"}},
        },
        "Ratio": {"type": "double"},
        "Big": {"type": "long"},
    },
    output="Output",
)


def test_doubles_and_longs() -> None:
    body = FLOATS.serialize_result("Op", {"ratio": 0.5, "big": 2**40}, "r")
    assert b"<Ratio>0.5</Ratio>" in body
    assert b"<Big>1099511627776</Big>" in body
    assert b"<OpResult>" in body
    assert b"<Ratio>2.0</Ratio>" in FLOATS.serialize_result("Op", {"ratio": 2}, "r")
    with pytest.raises(TypeError, match="Ratio cannot be serialized as double from str"):
        FLOATS.serialize_result("Op", {"ratio": "0.5"}, "r")
