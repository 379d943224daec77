"""Form fields become typed Python values: lists, maps, nested structures and every scalar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from query_synthetic import VERSION, synthetic_api

from iamd.errors import InvalidParameterValue

SHAPES: dict[str, Any] = {
    "Input": {
        "type": "structure",
        "members": {
            "Name": {"shape": "Text"},
            "Count": {"shape": "Int"},
            "Big": {"shape": "Long"},
            "Ratio": {"shape": "Double"},
            "Flag": {"shape": "Bool"},
            "When": {"shape": "Stamp"},
            "Data": {"shape": "Bytes"},
            "Items": {"shape": "Items"},
            "Pairs": {"shape": "Pairs"},
            "Inner": {"shape": "Inner"},
            "Groups": {"shape": "Groups"},
        },
    },
    "Text": {"type": "string"},
    "Int": {"type": "integer"},
    "Long": {"type": "long"},
    "Double": {"type": "double"},
    "Bool": {"type": "boolean"},
    "Stamp": {"type": "timestamp"},
    "Bytes": {"type": "blob"},
    "Items": {"type": "list", "member": {"shape": "Item"}},
    "Item": {
        "type": "structure",
        "members": {"Key": {"shape": "Text"}, "Value": {"shape": "Text"}},
    },
    "Pairs": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Inner"}},
    "Inner": {
        "type": "structure",
        "members": {"SAMLName": {"shape": "Text"}, "Numbers": {"shape": "Numbers"}},
    },
    "Numbers": {"type": "list", "member": {"shape": "Int"}},
    "Groups": {"type": "list", "member": {"shape": "Numbers"}},
}
API = synthetic_api(SHAPES)


def parse(**fields: str) -> dict[str, Any]:
    form = {
        "Action": "Op",
        "Version": VERSION,
        **{k.replace("__", "."): v for k, v in fields.items()},
    }
    return dict(API.parse(form).params)


def test_list_elements_are_in_index_order_with_snake_case_keys() -> None:
    assert parse(
        Items__member__2__Key="b", Items__member__1__Key="a", Items__member__1__Value="x"
    ) == {"items": [{"key": "a", "value": "x"}, {"key": "b"}]}


def test_a_gap_in_list_indexes_closes_up() -> None:
    assert parse(Inner__Numbers__member__1="1", Inner__Numbers__member__3="3") == {
        "inner": {"numbers": [1, 3]}
    }


def test_an_empty_list_is_sent_as_an_empty_value() -> None:
    assert parse(Items="") == {"items": []}


def test_a_list_given_a_value_is_refused() -> None:
    with pytest.raises(
        InvalidParameterValue, match=r"parameter Items: expected the members of a list"
    ):
        parse(Items="oops")


@pytest.mark.parametrize(
    "field",
    [
        "Items.member.0.Key",
        "Items.member.01.Key",
        "Items.member.x.Key",
        "Items.1.Key",
        "Items.member",
    ],
)
def test_malformed_list_fields_name_no_parameter_and_are_ignored(field: str) -> None:
    assert API.parse({"Action": "Op", "Version": VERSION, field: "a"}).params == {}


def test_lists_of_lists() -> None:
    assert parse(Groups__member__1__member__1="1", Groups__member__2__member__1="2") == {
        "groups": [[1], [2]]
    }


def test_map_entries_pair_keys_with_values_and_keep_keys_as_sent() -> None:
    params = parse(
        Pairs__entry__1__key="FirstKey",
        Pairs__entry__1__value__SAMLName="one",
        Pairs__entry__2__key="second",
        Pairs__entry__2__value__Numbers__member__1="7",
    )
    assert params == {"pairs": {"FirstKey": {"saml_name": "one"}, "second": {"numbers": [7]}}}


@pytest.mark.parametrize("missing", ["key", "value"])
def test_a_map_entry_without_its_key_or_value_is_refused(missing: str) -> None:
    fields = {"Pairs__entry__1__key": "k", "Pairs__entry__1__value__SAMLName": "v"}
    fields = {name: text for name, text in fields.items() if f"__{missing}" not in name}
    with pytest.raises(
        InvalidParameterValue, match=rf"Missing parameter Pairs\.entry\.1\.{missing}\."
    ):
        parse(**fields)


@pytest.mark.parametrize("field", ["Pairs.entry.1.other", "Pairs.entry.1", "Pairs.member.1.key"])
def test_malformed_map_fields_are_ignored(field: str) -> None:
    assert API.parse({"Action": "Op", "Version": VERSION, field: "a"}).params == {}


def test_nested_structures() -> None:
    assert parse(Inner__SAMLName="x") == {"inner": {"saml_name": "x"}}


def test_unknown_parameters_are_ignored() -> None:
    params = parse(Nope="1", Name__Sub="2", Inner__Nope="3", Count__member__1="4")
    assert params == {}


def test_protocol_fields_are_not_parameters() -> None:
    form = {"Action": "Op", "Version": VERSION, "X-Amz-Signature": "abc", "X-Amz-Date": "x"}
    assert API.parse(form).params == {}


@pytest.mark.parametrize(
    ("text", "value"), [("0", 0), ("+7", 7), ("-2147483648", -(2**31)), ("007", 7)]
)
def test_integers(text: str, value: int) -> None:
    assert parse(Count=text) == {"count": value}


@pytest.mark.parametrize(
    "text", ["", "ten", "1.5", "1e3", " 1", "1_000", "2147483648", "\u0661", "9" * 5000]
)
def test_bad_integers_are_refused_without_echoing_them(text: str) -> None:
    with pytest.raises(InvalidParameterValue) as raised:
        parse(Count=text)
    assert raised.value.message == "Invalid value for parameter Count: expected an integer."


def test_longs_hold_64_bits() -> None:
    assert parse(Big=str(2**63 - 1)) == {"big": 2**63 - 1}
    with pytest.raises(InvalidParameterValue, match="expected a long"):
        parse(Big=str(2**63))


@pytest.mark.parametrize(
    ("text", "value"), [("1.5", 1.5), ("-2", -2.0), ("1e3", 1000.0), (".5", 0.5)]
)
def test_doubles(text: str, value: float) -> None:
    assert parse(Ratio=text) == {"ratio": value}


@pytest.mark.parametrize("text", ["nan", "inf", "1_0", "", "x"])
def test_bad_doubles_are_refused(text: str) -> None:
    with pytest.raises(InvalidParameterValue, match="expected a number"):
        parse(Ratio=text)


@pytest.mark.parametrize(
    ("text", "value"), [("true", True), ("false", False), ("TRUE", True), ("False", False)]
)
def test_booleans(text: str, value: bool) -> None:
    assert parse(Flag=text) == {"flag": value}


@pytest.mark.parametrize("text", ["yes", "1", "", "t"])
def test_bad_booleans_are_refused(text: str) -> None:
    with pytest.raises(InvalidParameterValue, match="Flag: expected true or false"):
        parse(Flag=text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2012-05-08T23:34:01Z", dt.datetime(2012, 5, 8, 23, 34, 1, tzinfo=dt.UTC)),
        ("2012-05-08T23:34:01.250Z", dt.datetime(2012, 5, 8, 23, 34, 1, 250000, tzinfo=dt.UTC)),
        ("2012-05-08T23:34:01", dt.datetime(2012, 5, 8, 23, 34, 1, tzinfo=dt.UTC)),
        ("2012-05-09T01:34:01+02:00", dt.datetime(2012, 5, 8, 23, 34, 1, tzinfo=dt.UTC)),
    ],
)
def test_timestamps_are_aware(text: str, value: dt.datetime) -> None:
    parsed = parse(When=text)["when"]
    assert parsed == value
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["yesterday", "1336519241", "2012-13-01T00:00:00Z"])
def test_bad_timestamps_are_refused(text: str) -> None:
    with pytest.raises(InvalidParameterValue, match="When: expected an ISO 8601 timestamp"):
        parse(When=text)


def test_blobs_are_base64() -> None:
    assert parse(Data="AAF1c2Vy") == {"data": b"\x00\x01user"}


@pytest.mark.parametrize("text", ["not base64!", "AAF", "AA=F"])
def test_bad_blobs_are_refused(text: str) -> None:
    with pytest.raises(InvalidParameterValue, match="Data: expected base64-encoded data"):
        parse(Data=text)


def test_the_error_names_the_full_parameter() -> None:
    with pytest.raises(
        InvalidParameterValue, match=r"parameter Groups\.member\.2\.member\.1: expected"
    ):
        parse(Groups__member__2__member__1="x")


def test_an_empty_structure_field_is_present_and_empty() -> None:
    assert parse(Inner="") == {"inner": {}}
