"""OpenID Connect providers over HTTP with boto3 (and one with the AWS CLI): create, get, list,
delete, client ids, thumbprints, UpdateOpenIDConnectProvider, tags, errors, quotas."""

from __future__ import annotations

import json

from iamd_testkit import Account, AccountMaker, aws_cli, aws_error

URL = "https://token.example.com/realms/main"
THUMB = "a" * 40
THUMB2 = "0123456789ABCDEF0123456789abcdef01234567"


def _arn(account: Account, name: str = "token.example.com/realms/main") -> str:
    return f"arn:aws:iam::{account.id}:oidc-provider/{name}"


def test_create_answers_the_arn_built_from_the_url(account: Account) -> None:
    created = account.iam().create_open_id_connect_provider(
        Url=URL, ClientIDList=["app"], ThumbprintList=[THUMB]
    )
    assert created["OpenIDConnectProviderArn"] == _arn(account)
    assert "Tags" not in created


def test_get_answers_url_without_scheme_ids_thumbprints_and_date(account: Account) -> None:
    iam = account.iam()
    iam.create_open_id_connect_provider(
        Url=URL, ClientIDList=["app", "cli"], ThumbprintList=[THUMB]
    )
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=_arn(account))
    assert got["Url"] == "token.example.com/realms/main"
    assert got["ClientIDList"] == ["app", "cli"]
    assert got["ThumbprintList"] == [THUMB]
    assert got["CreateDate"].tzinfo is not None
    assert "Tags" not in got


def test_thumbprints_and_client_ids_are_optional(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_open_id_connect_provider(Url="https://idp.example.org")[
        "OpenIDConnectProviderArn"
    ]
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert (got["ClientIDList"], got["ThumbprintList"]) == ([], [])


def test_the_host_name_does_not_depend_on_case(account: Account) -> None:
    iam = account.iam()
    iam.create_open_id_connect_provider(Url="https://IdP.Example.org/Path")
    error = aws_error(iam.create_open_id_connect_provider, Url="https://idp.example.org/Path")
    assert (error.code, error.status) == ("EntityAlreadyExists", 409)
    assert error.message == "Provider with url https://idp.example.org/Path already exists."
    assert len(iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]) == 1


def test_create_with_tags(account: Account) -> None:
    iam = account.iam()
    created = iam.create_open_id_connect_provider(Url=URL, Tags=[{"Key": "team", "Value": "red"}])
    assert created["Tags"] == [{"Key": "team", "Value": "red"}]
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=_arn(account))
    assert got["Tags"] == [{"Key": "team", "Value": "red"}]


def test_url_must_be_https_without_query(account: Account) -> None:
    iam = account.iam()
    for url in ("http://idp.example.org", "https://idp.example.org/?a=b", "idp.example.org"):
        error = aws_error(iam.create_open_id_connect_provider, Url=url)
        assert (error.code, error.status) == ("InvalidInput", 400), url
        assert error.message == "Invalid Open ID Connect Provider URL"
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []


def test_at_most_five_thumbprints_of_hex(account: Account) -> None:
    iam = account.iam()
    error = aws_error(iam.create_open_id_connect_provider, Url=URL, ThumbprintList=[THUMB] * 6)
    assert (error.code, error.message) == (
        "InvalidInput",
        "Thumbprint list must contain fewer than 5 entries.",
    )
    error = aws_error(iam.create_open_id_connect_provider, Url=URL, ThumbprintList=["z" * 40])
    assert error.code == "InvalidInput"
    error = aws_error(iam.create_open_id_connect_provider, Url=URL, ThumbprintList=["a" * 39])
    assert error.code == "ValidationError"
    five = [f"{i:040x}" for i in range(5)]
    iam.create_open_id_connect_provider(Url=URL, ThumbprintList=five)
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=_arn(account))
    assert got["ThumbprintList"] == five


def test_list_answers_every_arn(account: Account) -> None:
    iam = account.iam()
    iam.create_open_id_connect_provider(Url="https://b.example.org")
    iam.create_open_id_connect_provider(Url="https://a.example.org")
    listed = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert [p["Arn"] for p in listed] == [
        _arn(account, "a.example.org"),
        _arn(account, "b.example.org"),
    ]


def test_delete_then_not_found(account: Account) -> None:
    iam = account.iam()
    iam.create_open_id_connect_provider(Url=URL, Tags=[{"Key": "k", "Value": "v"}])
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=_arn(account))
    error = aws_error(iam.get_open_id_connect_provider, OpenIDConnectProviderArn=_arn(account))
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    assert error.message == f"OpenIDConnect Provider not found for arn {_arn(account)}"
    error = aws_error(iam.delete_open_id_connect_provider, OpenIDConnectProviderArn=_arn(account))
    assert error.code == "NoSuchEntity"
    # A new provider at the same URL starts without the old one's tags.
    iam.create_open_id_connect_provider(Url=URL)
    assert "Tags" not in iam.get_open_id_connect_provider(OpenIDConnectProviderArn=_arn(account))


def test_an_arn_that_is_not_an_oidc_provider_is_invalid_input(account: Account) -> None:
    iam = account.iam()
    bad = f"arn:aws:iam::{account.id}:user/someone"
    error = aws_error(iam.get_open_id_connect_provider, OpenIDConnectProviderArn=bad)
    assert (error.code, error.message) == ("InvalidInput", f"ARN {bad} is not valid.")


def test_another_accounts_provider_is_not_found(
    account: Account, make_account: AccountMaker
) -> None:
    other = make_account()
    arn = other.iam().create_open_id_connect_provider(Url=URL)["OpenIDConnectProviderArn"]
    error = aws_error(account.iam().get_open_id_connect_provider, OpenIDConnectProviderArn=arn)
    assert error.code == "NoSuchEntity"
    error = aws_error(account.iam().delete_open_id_connect_provider, OpenIDConnectProviderArn=arn)
    assert error.code == "NoSuchEntity"
    assert other.iam().get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["Url"]


def test_client_ids_are_added_and_removed_idempotently(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_open_id_connect_provider(Url=URL, ClientIDList=["a"])[
        "OpenIDConnectProviderArn"
    ]
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="b")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="b")
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == ["a", "b"]
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="a")
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="x")
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == ["b"]


def test_client_id_operations_on_a_missing_provider(account: Account) -> None:
    iam = account.iam()
    for call in (
        iam.add_client_id_to_open_id_connect_provider,
        iam.remove_client_id_from_open_id_connect_provider,
    ):
        error = aws_error(call, OpenIDConnectProviderArn=_arn(account), ClientID="a")
        assert error.code == "NoSuchEntity"


def test_at_most_100_client_ids(account: Account) -> None:
    iam = account.iam()
    ids = [f"client-{i}" for i in range(100)]
    arn = iam.create_open_id_connect_provider(Url=URL, ClientIDList=ids)["OpenIDConnectProviderArn"]
    error = aws_error(
        iam.add_client_id_to_open_id_connect_provider, OpenIDConnectProviderArn=arn, ClientID="x"
    )
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100"
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert len(got["ClientIDList"]) == 100
    error = aws_error(
        iam.create_open_id_connect_provider,
        Url="https://other.example.org",
        ClientIDList=[*ids, "y"],
    )
    assert error.code == "LimitExceeded"


def test_update_thumbprint_replaces_the_list(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_open_id_connect_provider(Url=URL, ThumbprintList=[THUMB])[
        "OpenIDConnectProviderArn"
    ]
    iam.update_open_id_connect_provider_thumbprint(
        OpenIDConnectProviderArn=arn, ThumbprintList=[THUMB2]
    )
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ThumbprintList"] == [THUMB2]


def test_a_refused_thumbprint_update_changes_nothing(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_open_id_connect_provider(Url=URL, ThumbprintList=[THUMB])[
        "OpenIDConnectProviderArn"
    ]
    error = aws_error(
        iam.update_open_id_connect_provider_thumbprint,
        OpenIDConnectProviderArn=arn,
        ThumbprintList=[THUMB2] * 3 + ["g" * 40],
    )
    assert error.code == "InvalidInput"
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ThumbprintList"] == [THUMB]
    error = aws_error(
        iam.update_open_id_connect_provider_thumbprint,
        OpenIDConnectProviderArn=_arn(account, "missing.example.org"),
        ThumbprintList=[THUMB],
    )
    assert error.code == "NoSuchEntity"


def test_trusted_identity_propagation_is_refused(account: Account) -> None:
    iam = account.iam()
    context = {"SubjectSourceKey": "sub"}
    error = aws_error(iam.create_open_id_connect_provider, Url=URL, ContextProvider=context)
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert "IAM Identity Center" in error.message
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    arn = iam.create_open_id_connect_provider(Url=URL)["OpenIDConnectProviderArn"]
    error = aws_error(
        iam.update_open_id_connect_provider, OpenIDConnectProviderArn=arn, ContextProvider=context
    )
    assert error.code == "InvalidInput"
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=arn, RemoveContextProvider=True)
    error = aws_error(iam.update_open_id_connect_provider, OpenIDConnectProviderArn=arn)
    assert error.code == "InvalidInput"
    error = aws_error(
        iam.update_open_id_connect_provider,
        OpenIDConnectProviderArn=_arn(account, "missing.example.org"),
        RemoveContextProvider=True,
    )
    assert error.code == "NoSuchEntity"


def test_tags_tag_untag_list(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_open_id_connect_provider(Url=URL)["OpenIDConnectProviderArn"]
    iam.tag_open_id_connect_provider(
        OpenIDConnectProviderArn=arn,
        Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}, {"Key": "c", "Value": "3"}],
    )
    iam.tag_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, Tags=[{"Key": "A", "Value": "9"}]
    )
    first = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn, MaxItems=2)
    assert first["IsTruncated"] is True
    rest = iam.list_open_id_connect_provider_tags(
        OpenIDConnectProviderArn=arn, Marker=first["Marker"]
    )
    assert first["Tags"] + rest["Tags"] == [
        {"Key": "A", "Value": "9"},
        {"Key": "b", "Value": "2"},
        {"Key": "c", "Value": "3"},
    ]
    iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=["a", "c"])
    listed = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)
    assert listed["Tags"] == [{"Key": "b", "Value": "2"}]
    assert listed["IsTruncated"] is False


def test_refused_tags_change_nothing(account: Account) -> None:
    iam = account.iam()
    arn = iam.create_open_id_connect_provider(Url=URL, Tags=[{"Key": "k", "Value": "v"}])[
        "OpenIDConnectProviderArn"
    ]
    error = aws_error(
        iam.tag_open_id_connect_provider,
        OpenIDConnectProviderArn=arn,
        Tags=[{"Key": "aws:x", "Value": "1"}],
    )
    assert error.code == "InvalidInput"
    too_many = [{"Key": f"t{i}", "Value": ""} for i in range(50)]
    error = aws_error(iam.tag_open_id_connect_provider, OpenIDConnectProviderArn=arn, Tags=too_many)
    assert error.code == "LimitExceeded"
    listed = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn)
    assert listed["Tags"] == [{"Key": "k", "Value": "v"}]
    for call, kwargs in (
        (iam.tag_open_id_connect_provider, {"Tags": [{"Key": "a", "Value": "b"}]}),
        (iam.untag_open_id_connect_provider, {"TagKeys": ["a"]}),
        (iam.list_open_id_connect_provider_tags, {}),
    ):
        error = aws_error(call, OpenIDConnectProviderArn=_arn(account, "nope.example"), **kwargs)
        assert error.code == "NoSuchEntity"


def test_quota_of_providers_per_account(account: Account) -> None:
    iam = account.iam()
    for i in range(100):
        iam.create_open_id_connect_provider(Url=f"https://idp{i}.example.org")
    error = aws_error(iam.create_open_id_connect_provider, Url="https://one-more.example.org")
    assert (error.code, error.status) == ("LimitExceeded", 409)
    assert error.message == "Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100"
    assert len(iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]) == 100


def test_with_the_aws_cli(account: Account) -> None:
    created = aws_cli(
        account,
        "iam",
        "create-open-id-connect-provider",
        "--url",
        URL,
        "--client-id-list",
        "sts.amazonaws.com",
        "--thumbprint-list",
        THUMB,
    )
    assert created.returncode == 0, created.stderr
    arn = json.loads(created.stdout)["OpenIDConnectProviderArn"]
    assert arn == _arn(account)
    got = aws_cli(
        account, "iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", arn
    )
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["ClientIDList"] == ["sts.amazonaws.com"]
    listed = json.loads(aws_cli(account, "iam", "list-open-id-connect-providers").stdout)
    assert listed["OpenIDConnectProviderList"] == [{"Arn": arn}]
