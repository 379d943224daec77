"""The policy simulator over HTTP (issue 3, item 5)."""

from __future__ import annotations

import json
from typing import Any

from iamd_testkit import Account, aws_error


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


ALLOW_LIST = {"Sid": "List", "Effect": "Allow", "Action": "iam:List*", "Resource": "*"}
DENY_USERS = {"Sid": "NoUsers", "Effect": "Deny", "Action": "iam:ListUsers", "Resource": "*"}


def test_simulate_custom_policy_decisions(account: Account) -> None:
    iam = account.iam()
    result = iam.simulate_custom_policy(
        PolicyInputList=[_policy(ALLOW_LIST, DENY_USERS)],
        ActionNames=["iam:ListGroups", "iam:ListUsers", "iam:CreateUser"],
    )["EvaluationResults"]
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in result}
    assert decisions == {
        "iam:ListGroups": "allowed",
        "iam:ListUsers": "explicitDeny",
        "iam:CreateUser": "implicitDeny",
    }
    groups = next(r for r in result if r["EvalActionName"] == "iam:ListGroups")
    (matched,) = groups["MatchedStatements"]
    assert matched["SourcePolicyId"] == "PolicyInputList.1"
    assert matched["StartPosition"]["Line"] == 4
    assert matched["EndPosition"]["Line"] > matched["StartPosition"]["Line"]


def test_simulate_custom_policy_missing_context_values(account: Account) -> None:
    statement = {
        "Effect": "Allow",
        "Action": "iam:CreateUser",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:RequestTag/team": "red"}},
    }
    iam = account.iam()
    without = iam.simulate_custom_policy(
        PolicyInputList=[_policy(statement)], ActionNames=["iam:CreateUser"]
    )["EvaluationResults"][0]
    assert without["EvalDecision"] == "implicitDeny"
    assert without["MissingContextValues"] == ["aws:RequestTag/team"]
    given = iam.simulate_custom_policy(
        PolicyInputList=[_policy(statement)],
        ActionNames=["iam:CreateUser"],
        ContextEntries=[
            {
                "ContextKeyName": "aws:RequestTag/team",
                "ContextKeyValues": ["red"],
                "ContextKeyType": "string",
            }
        ],
    )["EvaluationResults"][0]
    assert given["EvalDecision"] == "allowed"


def test_simulate_with_a_permissions_boundary(account: Account) -> None:
    result = account.iam().simulate_custom_policy(
        PolicyInputList=[_policy({"Effect": "Allow", "Action": "*", "Resource": "*"})],
        PermissionsBoundaryPolicyInputList=[_policy(ALLOW_LIST)],
        ActionNames=["iam:ListUsers", "iam:CreateUser"],
    )["EvaluationResults"]
    by_action = {r["EvalActionName"]: r for r in result}
    assert by_action["iam:ListUsers"]["EvalDecision"] == "allowed"
    assert by_action["iam:CreateUser"]["EvalDecision"] == "implicitDeny"
    detail = by_action["iam:CreateUser"]["PermissionsBoundaryDecisionDetail"]
    assert detail == {"AllowedByPermissionsBoundary": False}


def test_simulate_with_a_resource_policy(account: Account) -> None:
    resource_policy = _policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account.id}:user/alice"},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bucket/*",
        }
    )
    result = account.iam().simulate_custom_policy(
        PolicyInputList=[_policy({"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"})],
        ResourcePolicy=resource_policy,
        CallerArn=f"arn:aws:iam::{account.id}:user/alice",
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::bucket/key"],
    )["EvaluationResults"][0]
    assert result["EvalDecision"] == "allowed"
    assert result["EvalDecisionDetails"]["Resource Policy"] == "allowed"


def test_simulate_principal_policy_of_a_user(account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="sim")
    iam.attach_user_policy(UserName="sim", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    arn = f"arn:aws:iam::{account.id}:user/sim"
    result = iam.simulate_principal_policy(
        PolicySourceArn=arn, ActionNames=["iam:GetUser", "iam:DeleteUser"]
    )["EvaluationResults"]
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in result}
    assert decisions == {"iam:GetUser": "allowed", "iam:DeleteUser": "implicitDeny"}
    allowed = next(r for r in result if r["EvalActionName"] == "iam:GetUser")
    assert allowed["MatchedStatements"][0]["SourcePolicyId"] == "ReadOnlyAccess"
    assert allowed["MatchedStatements"][0]["SourcePolicyType"] == "aws-managed"


def test_simulate_principal_policy_of_an_unknown_user(account: Account) -> None:
    error = aws_error(
        account.iam().simulate_principal_policy,
        PolicySourceArn=f"arn:aws:iam::{account.id}:user/ghost",
        ActionNames=["iam:GetUser"],
    )
    assert (error.code, error.status) == ("NoSuchEntity", 404)


def test_simulate_pages_its_results(account: Account) -> None:
    iam = account.iam()
    actions = [f"iam:List{x}" for x in ("Users", "Groups", "Roles", "Policies", "AccessKeys")]
    first = iam.simulate_custom_policy(
        PolicyInputList=[_policy(ALLOW_LIST)], ActionNames=actions, MaxItems=2
    )
    assert first["IsTruncated"] is True
    rest = iam.simulate_custom_policy(
        PolicyInputList=[_policy(ALLOW_LIST)], ActionNames=actions, Marker=first["Marker"]
    )
    names = [r["EvalActionName"] for r in first["EvaluationResults"] + rest["EvaluationResults"]]
    assert names == actions


def test_malformed_input_policy(account: Account) -> None:
    error = aws_error(
        account.iam().simulate_custom_policy, PolicyInputList=["{"], ActionNames=["iam:GetUser"]
    )
    assert (error.code, error.status) == ("InvalidInput", 400)


def test_context_keys(account: Account) -> None:
    iam = account.iam()
    statement = {
        "Effect": "Allow",
        "Action": "iam:*",
        "Resource": "arn:aws:iam::*:user/${aws:username}",
        "Condition": {
            "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
            "Bool": {"aws:MultiFactorAuthPresent": "true"},
        },
    }
    keys = iam.get_context_keys_for_custom_policy(PolicyInputList=[_policy(statement)])
    assert keys["ContextKeyNames"] == ["aws:MultiFactorAuthPresent", "aws:SourceIp", "aws:username"]
    iam.create_user(UserName="k")
    iam.put_user_policy(UserName="k", PolicyName="p", PolicyDocument=_policy(statement))
    principal = iam.get_context_keys_for_principal_policy(
        PolicySourceArn=f"arn:aws:iam::{account.id}:user/k"
    )
    assert principal["ContextKeyNames"] == keys["ContextKeyNames"]
