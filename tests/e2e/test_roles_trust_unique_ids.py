"""A role trust policy holds the users and roles it names by unique id ("IAM JSON policy
elements: Principal"): once the principal is deleted the policy shows its old id, a principal
recreated with the same name is not trusted, and naming it again in UpdateAssumeRolePolicy
trusts the new one. Over HTTP with boto3, on both backends."""

from __future__ import annotations

import urllib.parse
from typing import Any
from xml.etree import ElementTree

from iamd_testkit import Account, AccountMaker, aws_error
from sts.helpers import Session, User, allow, make_role, make_user, session_of, trust


def delete_user(account: Account, name: str) -> None:
    iam = account.iam()
    for key in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]:
        iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    for policy in iam.list_user_policies(UserName=name)["PolicyNames"]:
        iam.delete_user_policy(UserName=name, PolicyName=policy)
    iam.delete_user(UserName=name)


def trusted(account: Account, role_name: str) -> Any:
    """The AWS principals of the role's trust policy, as GetRole answers them."""
    document = account.iam().get_role(RoleName=role_name)["Role"]["AssumeRolePolicyDocument"]
    return document["Statement"][0]["Principal"]


def listed(account: Account, role_name: str) -> Any:
    roles = account.iam().list_roles()["Roles"]
    (role,) = [r for r in roles if r["RoleName"] == role_name]
    return role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]


def refusal(caller: User | Session, role_arn: str) -> str:
    error = aws_error(caller.client("sts").assume_role, RoleArn=role_arn, RoleSessionName="ss")
    assert (error.code, error.status) == ("AccessDenied", 403)
    return error.message


def assumes(caller: User | Session, role_arn: str) -> Session:
    answer = caller.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="ss")
    account = caller.account
    return session_of(account, answer)


# -- a user ----------------------------------------------------------------------------------


def test_a_deleted_user_is_shown_by_its_unique_id(account: Account) -> None:
    bob = make_user(account, "Bob")
    bob_id = account.iam().get_user(UserName="Bob")["User"]["UserId"]
    make_role(account, "Ops", trust({"AWS": bob.arn}))
    assert trusted(account, "Ops") == {"AWS": bob.arn}
    delete_user(account, "Bob")
    assert bob_id.startswith("AIDA")
    assert trusted(account, "Ops") == {"AWS": bob_id}
    assert listed(account, "Ops") == {"AWS": bob_id}


def test_a_recreated_user_is_not_trusted_until_named_again(account: Account) -> None:
    bob = make_user(account, "Bob")
    role_arn = make_role(account, "Ops", trust({"AWS": bob.arn}))
    assumes(bob, role_arn)
    delete_user(account, "Bob")
    bob = make_user(account, "Bob")
    mallory = make_user(account, "Mallory")
    message = refusal(bob, role_arn)
    assert message == (
        f"User: {bob.arn} is not authorized to perform: sts:AssumeRole on resource: "
        f"{role_arn} because no identity-based policy allows the sts:AssumeRole action"
    )
    assert message == refusal(mallory, role_arn).replace("Mallory", "Bob")
    account.iam().update_assume_role_policy(RoleName="Ops", PolicyDocument=trust({"AWS": bob.arn}))
    assert trusted(account, "Ops") == {"AWS": bob.arn}
    assumes(bob, role_arn)


def test_only_the_gone_principal_is_replaced(account: Account) -> None:
    bob, carol = make_user(account, "Bob"), make_user(account, "Carol")
    make_role(
        account,
        "Ops",
        trust({"AWS": [bob.arn, carol.arn, account.id], "Service": "ec2.amazonaws.com"}),
    )
    carol_id = account.iam().get_user(UserName="Carol")["User"]["UserId"]
    delete_user(account, "Carol")
    assert trusted(account, "Ops") == {
        "AWS": [bob.arn, carol_id, account.id],
        "Service": "ec2.amazonaws.com",
    }


def test_a_renamed_user_is_shown_and_trusted_under_its_new_name(account: Account) -> None:
    bob = make_user(account, "Bob")
    role_arn = make_role(account, "Ops", trust({"AWS": bob.arn}))
    account.iam().update_user(UserName="Bob", NewUserName="Robert", NewPath="/staff/")
    robert_arn = f"arn:aws:iam::{account.id}:user/staff/Robert"
    assert trusted(account, "Ops") == {"AWS": robert_arn}
    robert = User(account, "Robert", robert_arn, bob.key_id, bob.secret)
    assumes(robert, role_arn)
    new_bob = make_user(account, "Bob")
    assert refusal(new_bob, role_arn) == (
        f"User: {new_bob.arn} is not authorized to perform: sts:AssumeRole on resource: "
        f"{role_arn} because no identity-based policy allows the sts:AssumeRole action"
    )


def test_instance_profiles_and_the_authorization_details_show_the_id(account: Account) -> None:
    bob = make_user(account, "Bob")
    bob_id = account.iam().get_user(UserName="Bob")["User"]["UserId"]
    make_role(account, "Ops", trust({"AWS": bob.arn}))
    iam = account.iam()
    iam.create_instance_profile(InstanceProfileName="Box")
    iam.add_role_to_instance_profile(InstanceProfileName="Box", RoleName="Ops")
    delete_user(account, "Bob")
    expected = {"AWS": bob_id}
    profile = iam.get_instance_profile(InstanceProfileName="Box")["InstanceProfile"]
    assert profile["Roles"][0]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == expected
    (listed_profile,) = iam.list_instance_profiles()["InstanceProfiles"]
    principal = listed_profile["Roles"][0]["AssumeRolePolicyDocument"]["Statement"][0]
    assert principal["Principal"] == expected
    details = iam.get_account_authorization_details(Filter=["Role"])["RoleDetailList"]
    (role,) = [r for r in details if r["RoleName"] == "Ops"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == expected
    nested = role["InstanceProfileList"][0]["Roles"][0]["AssumeRolePolicyDocument"]
    assert nested["Statement"][0]["Principal"] == expected


# -- a role (role chaining) --------------------------------------------------------------------


def test_a_recreated_role_is_not_trusted_until_named_again(account: Account) -> None:
    bob = make_user(account, "Bob")
    middle_arn = make_role(account, "Middle", trust({"AWS": bob.arn}))
    target_arn = make_role(account, "Target", trust({"AWS": middle_arn}))
    other_arn = make_role(account, "Other", trust({"AWS": bob.arn}))
    middle_id = account.iam().get_role(RoleName="Middle")["Role"]["RoleId"]
    assumes(assumes(bob, middle_arn), target_arn)

    account.iam().delete_role(RoleName="Middle")
    assert middle_id.startswith("AROA")
    assert trusted(account, "Target") == {"AWS": middle_id}
    assert listed(account, "Target") == {"AWS": middle_id}

    make_role(account, "Middle", trust({"AWS": bob.arn}))
    chained = assumes(bob, middle_arn)
    message = refusal(chained, target_arn)
    assert message == (
        f"User: arn:aws:sts::{account.id}:assumed-role/Middle/ss is not authorized to perform: "
        f"sts:AssumeRole on resource: {target_arn} because no identity-based policy allows the "
        "sts:AssumeRole action"
    )
    assert message == refusal(assumes(bob, other_arn), target_arn).replace("Other", "Middle")

    account.iam().update_assume_role_policy(
        RoleName="Target", PolicyDocument=trust({"AWS": middle_arn})
    )
    assert trusted(account, "Target") == {"AWS": middle_arn}
    assumes(assumes(bob, middle_arn), target_arn)


# -- a principal of another account -----------------------------------------------------------


def test_a_recreated_user_of_another_account_is_not_trusted(make_account: AccountMaker) -> None:
    a, b = make_account(), make_account()
    may_assume = allow("sts:AssumeRole")
    alice = make_user(a, "Alice", may_assume)
    alice_id = a.iam().get_user(UserName="Alice")["User"]["UserId"]
    role_arn = make_role(b, "Reader", trust({"AWS": alice.arn}))
    assumes(alice, role_arn)

    delete_user(a, "Alice")
    assert trusted(b, "Reader") == {"AWS": alice_id}

    alice = make_user(a, "Alice", may_assume)
    mallory = make_user(a, "Mallory", may_assume)
    message = refusal(alice, role_arn)
    assert message == (
        f"User: {alice.arn} is not authorized to perform: sts:AssumeRole on resource: "
        f"{role_arn} because no role trust policy allows the sts:AssumeRole action"
    )
    assert message == refusal(mallory, role_arn).replace("Mallory", "Alice")

    b.iam().update_assume_role_policy(RoleName="Reader", PolicyDocument=trust({"AWS": alice.arn}))
    assert trusted(b, "Reader") == {"AWS": alice.arn}
    assumes(alice, role_arn)


# -- what is not rewritten --------------------------------------------------------------------


def raw_trust_policy(account: Account, role_name: str) -> str:
    """The trust policy text GetRole answers, before the SDK decodes it."""
    iam = account.iam()
    seen: list[str] = []

    def keep(http_response: Any, **_: Any) -> None:
        seen.append(str(http_response.text))

    iam.meta.events.register("after-call.iam.GetRole", keep)
    iam.get_role(RoleName=role_name)
    element = ElementTree.fromstring(seen[0]).find(".//{*}AssumeRolePolicyDocument")
    assert element is not None and element.text is not None
    return urllib.parse.unquote(element.text)


def test_a_policy_whose_principals_all_exist_is_answered_as_written(account: Account) -> None:
    bob = make_user(account, "Bob")
    document = trust({"AWS": [bob.arn, account.id]}) + "\n"
    account.iam().create_role(RoleName="Ops", AssumeRolePolicyDocument=document)
    assert raw_trust_policy(account, "Ops") == document


def test_a_policy_with_a_gone_principal_is_answered_compact(account: Account) -> None:
    bob = make_user(account, "Bob")
    bob_id = account.iam().get_user(UserName="Bob")["User"]["UserId"]
    make_role(account, "Ops", trust({"AWS": bob.arn}))
    delete_user(account, "Bob")
    assert raw_trust_policy(account, "Ops") == (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
        f'{{"AWS":"{bob_id}"}},"Action":"sts:AssumeRole"}}]}}'
    )


def test_a_unique_id_is_not_accepted_in_a_policy_as_written(account: Account) -> None:
    bob = make_user(account, "Bob")
    bob_id = account.iam().get_user(UserName="Bob")["User"]["UserId"]
    make_role(account, "Ops", trust({"AWS": bob.arn}))
    error = aws_error(
        account.iam().update_assume_role_policy,
        RoleName="Ops",
        PolicyDocument=trust({"AWS": bob_id}),
    )
    assert (error.code, error.message) == (
        "MalformedPolicyDocument",
        f'Invalid principal in policy: "AWS":"{bob_id}"',
    )
    assert trusted(account, "Ops") == {"AWS": bob.arn}
