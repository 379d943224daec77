"""Session tags, transitive tags and source identity through role chains ("Passing session tags
in AWS STS"; "Monitor and control actions taken with assumed roles")."""

from __future__ import annotations

from typing import Any

from iamd_testkit import Account, aws_error
from sts.helpers import allow, make_role, make_user, session_of, trust

TAGGING = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]


def _chain(account: Account) -> tuple[Any, str, str]:
    user = make_user(account, "u", allow(TAGGING))
    first = make_role(account, "First", trust({"AWS": account.id}, TAGGING), allow(TAGGING))
    second = make_role(
        account,
        "Second",
        trust({"AWS": account.id}, TAGGING),
        allow(
            "iam:ListRoles",
            Condition={"StringEquals": {"aws:PrincipalTag/Project": "Pegasus"}},
        ),
        allow(
            "iam:ListUsers",
            Condition={"StringEquals": {"aws:SourceIdentity": "diego"}},
        ),
    )
    return user, first, second


def test_passing_tags_needs_tag_session_in_the_trust_policy(account: Account) -> None:
    user = make_user(account, "u", allow(TAGGING))
    role_arn = make_role(account, "NoTags", trust({"AWS": account.id}))
    sts = user.client("sts")
    error = aws_error(
        sts.assume_role,
        RoleArn=role_arn,
        RoleSessionName="t1",
        Tags=[{"Key": "Project", "Value": "Pegasus"}],
    )
    assert error.code == "AccessDenied"
    assert "sts:TagSession" in error.message
    assert sts.assume_role(RoleArn=role_arn, RoleSessionName="t1")


def test_session_tags_become_principal_tags(account: Account) -> None:
    user, _, second = _chain(account)
    answer = user.client("sts").assume_role(
        RoleArn=second, RoleSessionName="t1", Tags=[{"Key": "Project", "Value": "Pegasus"}]
    )
    iam = session_of(account, answer).client("iam")
    assert iam.list_roles()["Roles"]
    other = session_of(
        account,
        user.client("sts").assume_role(
            RoleArn=second, RoleSessionName="t2", Tags=[{"Key": "Project", "Value": "Orion"}]
        ),
    )
    assert aws_error(other.client("iam").list_roles).code == "AccessDenied"


def test_a_session_tag_overrides_a_role_tag_regardless_of_case(account: Account) -> None:
    user, _, second = _chain(account)
    account.iam().tag_role(RoleName="Second", Tags=[{"Key": "project", "Value": "Orion"}])
    plain = session_of(
        account, user.client("sts").assume_role(RoleArn=second, RoleSessionName="t1")
    )
    assert aws_error(plain.client("iam").list_roles).code == "AccessDenied"
    tagged = session_of(
        account,
        user.client("sts").assume_role(
            RoleArn=second, RoleSessionName="t2", Tags=[{"Key": "Project", "Value": "Pegasus"}]
        ),
    )
    assert tagged.client("iam").list_roles()["Roles"]


def test_transitive_tags_follow_the_chain(account: Account) -> None:
    user, first, second = _chain(account)
    one = session_of(
        account,
        user.client("sts").assume_role(
            RoleArn=first,
            RoleSessionName="t1",
            Tags=[{"Key": "Project", "Value": "Pegasus"}, {"Key": "Team", "Value": "Blue"}],
            TransitiveTagKeys=["Project"],
        ),
    )
    two = session_of(account, one.client("sts").assume_role(RoleArn=second, RoleSessionName="t2"))
    assert two.client("iam").list_roles()["Roles"]


def test_tags_that_are_not_transitive_stay_behind(account: Account) -> None:
    user, first, second = _chain(account)
    one = session_of(
        account,
        user.client("sts").assume_role(
            RoleArn=first, RoleSessionName="t1", Tags=[{"Key": "Project", "Value": "Pegasus"}]
        ),
    )
    two = session_of(account, one.client("sts").assume_role(RoleArn=second, RoleSessionName="t2"))
    assert aws_error(two.client("iam").list_roles).code == "AccessDenied"


def test_an_inherited_transitive_tag_cannot_be_passed_again(account: Account) -> None:
    user, first, second = _chain(account)
    one = session_of(
        account,
        user.client("sts").assume_role(
            RoleArn=first,
            RoleSessionName="t1",
            Tags=[{"Key": "Project", "Value": "Pegasus"}],
            TransitiveTagKeys=["Project"],
        ),
    )
    error = aws_error(
        one.client("sts").assume_role,
        RoleArn=second,
        RoleSessionName="t2",
        Tags=[{"Key": "project", "Value": "Orion"}],
    )
    assert error.code == "InvalidParameterValue"


def test_duplicate_tag_keys_are_refused(account: Account) -> None:
    user, _, second = _chain(account)
    error = aws_error(
        user.client("sts").assume_role,
        RoleArn=second,
        RoleSessionName="t1",
        Tags=[{"Key": "Project", "Value": "a"}, {"Key": "PROJECT", "Value": "b"}],
    )
    assert error.code == "InvalidParameterValue"


def test_a_transitive_key_must_be_a_passed_tag(account: Account) -> None:
    user, _, second = _chain(account)
    error = aws_error(
        user.client("sts").assume_role,
        RoleArn=second,
        RoleSessionName="t1",
        Tags=[{"Key": "Project", "Value": "a"}],
        TransitiveTagKeys=["Team"],
    )
    assert error.code == "InvalidParameterValue"


def test_source_identity_is_answered_and_kept_through_the_chain(account: Account) -> None:
    user, first, second = _chain(account)
    answer = user.client("sts").assume_role(
        RoleArn=first, RoleSessionName="t1", SourceIdentity="diego"
    )
    assert answer["SourceIdentity"] == "diego"
    one = session_of(account, answer)
    chained = one.client("sts").assume_role(RoleArn=second, RoleSessionName="t2")
    assert chained["SourceIdentity"] == "diego"
    assert session_of(account, chained).client("iam").list_users()["Users"]


def test_source_identity_cannot_change_in_a_chain(account: Account) -> None:
    user, first, second = _chain(account)
    one = session_of(
        account,
        user.client("sts").assume_role(RoleArn=first, RoleSessionName="t1", SourceIdentity="diego"),
    )
    error = aws_error(
        one.client("sts").assume_role, RoleArn=second, RoleSessionName="t2", SourceIdentity="saanvi"
    )
    assert error.code == "AccessDenied"


def test_setting_a_source_identity_needs_set_source_identity(account: Account) -> None:
    user = make_user(account, "u", allow(TAGGING))
    role_arn = make_role(account, "Plain", trust({"AWS": account.id}))
    error = aws_error(
        user.client("sts").assume_role, RoleArn=role_arn, RoleSessionName="t1", SourceIdentity="d1"
    )
    assert error.code == "AccessDenied"
    assert "sts:SetSourceIdentity" in error.message


def test_a_source_identity_may_not_begin_with_aws(account: Account) -> None:
    user, first, _ = _chain(account)
    error = aws_error(
        user.client("sts").assume_role, RoleArn=first, RoleSessionName="t1", SourceIdentity="aws:me"
    )
    assert error.code == "ValidationError"


def test_trust_conditions_on_session_name_external_id_and_request_tags(account: Account) -> None:
    user = make_user(account, "carol", allow(TAGGING))
    role_arn = make_role(
        account,
        "Strict",
        trust(
            {"AWS": account.id},
            TAGGING,
            Condition={
                "StringEquals": {
                    "sts:ExternalId": "Example987",
                    "aws:RequestTag/Department": "Engineering",
                },
                "StringLike": {"sts:RoleSessionName": "${aws:username}"},
            },
        ),
    )
    sts = user.client("sts")
    good: dict[str, Any] = {
        "RoleArn": role_arn,
        "RoleSessionName": "carol",
        "ExternalId": "Example987",
        "Tags": [{"Key": "Department", "Value": "Engineering"}],
    }
    assert aws_error(sts.assume_role, **{**good, "RoleSessionName": "other"}).code == "AccessDenied"
    assert aws_error(sts.assume_role, **{**good, "ExternalId": "Wrong1"}).code == "AccessDenied"
    wrong_tags = [{"Key": "Department", "Value": "Sales"}]
    assert aws_error(sts.assume_role, **{**good, "Tags": wrong_tags}).code == "AccessDenied"
    assert sts.assume_role(**good)["AssumedRoleUser"]["Arn"].endswith("/Strict/carol")
