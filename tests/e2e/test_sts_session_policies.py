"""Session policies passed to AssumeRole: inline and managed (by ARN), intersected with the
role's permissions; their size counts in PackedPolicySize."""

from __future__ import annotations

import json

from iamd_testkit import Account, aws_error
from sts.helpers import allow, document, make_role, make_user, session_of, trust


def _setup(account: Account) -> tuple[object, str]:
    user = make_user(account, "u", allow("sts:AssumeRole"))
    role_arn = make_role(
        account, "Wide", trust({"AWS": account.id}), allow(["iam:ListRoles", "iam:ListUsers"])
    )
    return user, role_arn


def test_an_inline_session_policy_narrows_the_role(account: Account) -> None:
    user, role_arn = _setup(account)
    answer = user.client("sts").assume_role(  # type: ignore[attr-defined]
        RoleArn=role_arn, RoleSessionName="n1", Policy=document(allow("iam:ListRoles"))
    )
    assert answer["PackedPolicySize"] > 0
    iam = session_of(account, answer).client("iam")
    assert iam.list_roles()["Roles"]
    error = aws_error(iam.list_users)
    assert error.code == "AccessDenied"
    assert error.message.endswith("because no session policy allows the iam:ListUsers action")


def test_a_session_policy_cannot_widen_the_role(account: Account) -> None:
    user, role_arn = _setup(account)
    answer = user.client("sts").assume_role(  # type: ignore[attr-defined]
        RoleArn=role_arn, RoleSessionName="n1", Policy=document(allow("iam:*"))
    )
    error = aws_error(session_of(account, answer).client("iam").create_user, UserName="x")
    assert error.message.endswith(
        "because no identity-based policy allows the iam:CreateUser action"
    )


def test_a_managed_session_policy_by_arn(account: Account) -> None:
    user, role_arn = _setup(account)
    policy_arn = account.iam().create_policy(
        PolicyName="OnlyUsers", PolicyDocument=document(allow("iam:ListUsers"))
    )["Policy"]["Arn"]
    answer = user.client("sts").assume_role(  # type: ignore[attr-defined]
        RoleArn=role_arn, RoleSessionName="n1", PolicyArns=[{"arn": policy_arn}]
    )
    iam = session_of(account, answer).client("iam")
    assert iam.list_users()["Users"]
    assert aws_error(iam.list_roles).code == "AccessDenied"


def test_an_aws_managed_session_policy(account: Account) -> None:
    user, role_arn = _setup(account)
    answer = user.client("sts").assume_role(  # type: ignore[attr-defined]
        RoleArn=role_arn,
        RoleSessionName="n1",
        PolicyArns=[{"arn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}],
    )
    iam = session_of(account, answer).client("iam")
    assert iam.list_roles()["Roles"]


def test_more_than_ten_policy_arns_are_refused(account: Account) -> None:
    user, role_arn = _setup(account)
    arns = [{"arn": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}] * 11
    error = aws_error(
        user.client("sts").assume_role,  # type: ignore[attr-defined]
        RoleArn=role_arn,
        RoleSessionName="n1",
        PolicyArns=arns,
    )
    assert error.code == "ValidationError"


def test_a_session_policy_over_2048_characters_is_refused(account: Account) -> None:
    user, role_arn = _setup(account)
    big = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [allow("iam:ListRoles", Sid="S" + "x" * 2100)],
        }
    )
    error = aws_error(
        user.client("sts").assume_role,  # type: ignore[attr-defined]
        RoleArn=role_arn,
        RoleSessionName="n1",
        Policy=big,
    )
    assert error.code == "ValidationError"


def test_a_session_policy_with_a_principal_is_malformed(account: Account) -> None:
    user, role_arn = _setup(account)
    error = aws_error(
        user.client("sts").assume_role,  # type: ignore[attr-defined]
        RoleArn=role_arn,
        RoleSessionName="n1",
        Policy=document(allow("iam:ListRoles", Principal="*")),
    )
    assert (error.code, error.status) == ("MalformedPolicyDocument", 400)


def test_packed_policy_too_large(account: Account) -> None:
    user = make_user(account, "u", allow(["sts:AssumeRole", "sts:TagSession"]))
    role_arn = make_role(
        account, "R", trust({"AWS": account.id}, ["sts:AssumeRole", "sts:TagSession"])
    )
    import secrets

    tags = [{"Key": f"k{i}", "Value": secrets.token_hex(120)} for i in range(50)]
    error = aws_error(
        user.client("sts").assume_role, RoleArn=role_arn, RoleSessionName="n1", Tags=tags
    )
    assert (error.code, error.status) == ("PackedPolicyTooLarge", 400)
    assert error.message.startswith("Packed size of session tags consumes ")
    assert error.message.endswith("% of allotted space.")
