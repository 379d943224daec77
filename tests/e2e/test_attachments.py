"""Managed policies attached to users and groups, with the quota of ten per identity."""

from __future__ import annotations

from iamd_testkit import Account, aws_error

READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def test_attach_list_detach_user_policy(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=S3_READ)
    iam.attach_user_policy(UserName="u", PolicyArn=READ_ONLY)
    iam.attach_user_policy(UserName="u", PolicyArn=READ_ONLY)  # again: no error, no duplicate
    listed = iam.list_attached_user_policies(UserName="u")
    assert listed["AttachedPolicies"] == [
        {"PolicyName": "AmazonS3ReadOnlyAccess", "PolicyArn": S3_READ},
        {"PolicyName": "ReadOnlyAccess", "PolicyArn": READ_ONLY},
    ]
    assert listed["IsTruncated"] is False
    iam.detach_user_policy(UserName="u", PolicyArn=S3_READ)
    listed = iam.list_attached_user_policies(UserName="u")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in listed] == [READ_ONLY]


def test_attachment_count_follows_attachments(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    assert iam.get_policy(PolicyArn=READ_ONLY)["Policy"]["AttachmentCount"] == 0
    iam.attach_user_policy(UserName="u", PolicyArn=READ_ONLY)
    iam.attach_group_policy(GroupName="g", PolicyArn=READ_ONLY)
    assert iam.get_policy(PolicyArn=READ_ONLY)["Policy"]["AttachmentCount"] == 2


def test_attachment_counts_are_per_account(account: Account, make_account: object) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=READ_ONLY)
    other = make_account()  # type: ignore[operator]
    assert other.iam().get_policy(PolicyArn=READ_ONLY)["Policy"]["AttachmentCount"] == 0


def test_attach_unknown_policy(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    arn = "arn:aws:iam::aws:policy/NoSuchPolicyAnywhere"
    error = aws_error(iam.attach_user_policy, UserName="u", PolicyArn=arn)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"Policy {arn} does not exist or is not attachable."


def test_attach_an_invalid_arn(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    error = aws_error(iam.attach_user_policy, UserName="u", PolicyArn="not-an-arn-at-all-xx")
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert error.message == "ARN not-an-arn-at-all-xx is not valid."


def test_attach_to_unknown_user_or_group(account: Account) -> None:
    iam = account.iam()
    assert aws_error(iam.attach_user_policy, UserName="x", PolicyArn=READ_ONLY).code == (
        "NoSuchEntity"
    )
    assert aws_error(iam.attach_group_policy, GroupName="x", PolicyArn=READ_ONLY).code == (
        "NoSuchEntity"
    )


def test_detach_a_policy_that_is_not_attached(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    error = aws_error(iam.detach_user_policy, UserName="u", PolicyArn=READ_ONLY)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"Policy {READ_ONLY} was not found."


def _aws_policies(account: Account, count: int) -> list[str]:
    page = account.iam().list_policies(Scope="AWS", MaxItems=count)
    return [p["Arn"] for p in page["Policies"]]


def test_a_user_has_at_most_ten_managed_policies(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="u")
    arns = _aws_policies(account, 11)
    for arn in arns[:10]:
        iam.attach_user_policy(UserName="u", PolicyArn=arn)
    error = aws_error(iam.attach_user_policy, UserName="u", PolicyArn=arns[10])
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for PoliciesPerUser: 10"
    assert len(iam.list_attached_user_policies(UserName="u")["AttachedPolicies"]) == 10
    iam.attach_user_policy(UserName="u", PolicyArn=arns[0])  # already attached: still fine


def test_a_group_has_at_most_ten_managed_policies(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="g")
    arns = _aws_policies(account, 11)
    for arn in arns[:10]:
        iam.attach_group_policy(GroupName="g", PolicyArn=arn)
    error = aws_error(iam.attach_group_policy, GroupName="g", PolicyArn=arns[10])
    assert error.message == "Cannot exceed quota for PoliciesPerGroup: 10"


def test_list_attached_group_policies_pages(account: Account) -> None:
    iam = account.iam()
    iam.create_group(GroupName="g")
    arns = _aws_policies(account, 3)
    for arn in arns:
        iam.attach_group_policy(GroupName="g", PolicyArn=arn)
    first = iam.list_attached_group_policies(GroupName="g", MaxItems=2)
    assert first["IsTruncated"] is True
    rest = iam.list_attached_group_policies(GroupName="g", Marker=first["Marker"])
    seen = [p["PolicyArn"] for p in first["AttachedPolicies"] + rest["AttachedPolicies"]]
    assert sorted(seen) == sorted(arns)
