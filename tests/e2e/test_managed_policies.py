"""AWS managed policies: every one present with its document and default version."""

from __future__ import annotations

from iamd_testkit import Account, aws_error

S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def test_get_an_aws_managed_policy(account: Account) -> None:
    policy = account.iam().get_policy(PolicyArn=S3_READ)["Policy"]
    assert policy["PolicyName"] == "AmazonS3ReadOnlyAccess"
    assert policy["Arn"] == S3_READ
    assert policy["Path"] == "/"
    assert policy["DefaultVersionId"] == "v3"
    assert policy["IsAttachable"] is True
    assert policy["PolicyId"].startswith("ANPA")


def test_get_policy_version_answers_the_document(account: Account) -> None:
    version = account.iam().get_policy_version(PolicyArn=S3_READ, VersionId="v3")["PolicyVersion"]
    assert version["IsDefaultVersion"] is True
    document = version["Document"]
    assert document["Version"] == "2012-10-17"
    assert "s3:Get*" in document["Statement"][0]["Action"]


def test_get_policy_version_unknown(account: Account) -> None:
    error = aws_error(account.iam().get_policy_version, PolicyArn=S3_READ, VersionId="v1")
    assert (error.code, error.status) == ("NoSuchEntity", 404)


def test_get_policy_unknown(account: Account) -> None:
    arn = "arn:aws:iam::aws:policy/NotAPolicyThatExists"
    error = aws_error(account.iam().get_policy, PolicyArn=arn)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"Policy {arn} was not found."


def test_list_policy_versions(account: Account) -> None:
    versions = account.iam().list_policy_versions(PolicyArn=S3_READ)
    assert versions["Versions"][0]["VersionId"] == "v3"
    assert versions["Versions"][0]["IsDefaultVersion"] is True
    assert "Document" not in versions["Versions"][0]


def test_every_aws_managed_policy_is_listed(account: Account) -> None:
    pages = (
        account.iam()
        .get_paginator("list_policies")
        .paginate(Scope="AWS", PaginationConfig={"PageSize": 1000})
    )
    arns = [p["Arn"] for page in pages for p in page["Policies"]]
    assert len(arns) == len(set(arns)) > 1000
    assert S3_READ in arns
    assert "arn:aws:iam::aws:policy/AdministratorAccess" in arns
    assert all(a.startswith("arn:aws:iam::aws:policy/") for a in arns)


def test_list_policies_scope_local_is_empty_in_a_new_account(account: Account) -> None:
    assert account.iam().list_policies(Scope="Local")["Policies"] == []


def test_list_policies_only_attached(account: Account) -> None:
    iam = account.iam()
    assert iam.list_policies(OnlyAttached=True)["Policies"] == []
    iam.create_user(UserName="u")
    iam.attach_user_policy(UserName="u", PolicyArn=S3_READ)
    attached = iam.list_policies(OnlyAttached=True)["Policies"]
    assert [(p["Arn"], p["AttachmentCount"]) for p in attached] == [(S3_READ, 1)]


def test_list_policies_path_prefix(account: Account) -> None:
    listed = account.iam().list_policies(Scope="AWS", PathPrefix="/service-role/", MaxItems=20)
    assert listed["Policies"]
    assert all(p["Path"] == "/service-role/" for p in listed["Policies"])
