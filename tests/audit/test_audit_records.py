"""One CloudTrail-shaped record per request: allowed, read-only, denied, malformed, failed
validation, unknown action and unauthenticated requests."""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.exceptions import ClientError

from audit.audit_helpers import raw_post, record_of, request_id
from iamd_testkit import CLIENT_CONFIG, Account, Server

CLOUDTRAIL_FIELDS = {
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "requestParameters",
    "responseElements",
    "requestID",
    "eventID",
    "readOnly",
    "recipientAccountId",
}


def _error_id(call: Any, **kwargs: Any) -> str:
    try:
        call(**kwargs)
    except ClientError as err:
        return request_id(err.response)
    raise AssertionError("the call succeeded")


def _user_with_key(acct: Account, name: str, policy: dict[str, Any] | None = None) -> Any:
    iam = acct.iam()
    iam.create_user(UserName=name)
    if policy is not None:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return acct.iam(key["AccessKeyId"], key["SecretAccessKey"]), key["AccessKeyId"]


def test_an_allowed_write_is_recorded_with_its_response(audited: Server, acct: Account) -> None:
    answer = acct.iam().create_user(UserName="alice", Path="/team/")
    record = record_of(audited, request_id(answer))
    assert set(record) >= CLOUDTRAIL_FIELDS
    assert record["eventSource"] == "iam.amazonaws.com"
    assert record["eventName"] == "CreateUser"
    assert record["readOnly"] is False
    assert record["requestParameters"] == {"userName": "alice", "path": "/team/"}
    assert record["responseElements"]["user"]["arn"] == f"arn:aws:iam::{acct.id}:user/team/alice"
    assert record["recipientAccountId"] == acct.id
    assert record["sourceIPAddress"] == "127.0.0.1"
    assert "Boto3" in record["userAgent"]
    assert "errorCode" not in record
    assert record["userIdentity"] == {
        "type": "Root",
        "principalId": acct.id,
        "arn": f"arn:aws:iam::{acct.id}:root",
        "accountId": acct.id,
        "accessKeyId": acct.root_key_id,
    }
    assert record["iamd"]["decision"] == "Allowed"
    assert record["iamd"]["httpStatus"] == 200


def test_a_read_only_call_has_no_response_elements(audited: Server, acct: Account) -> None:
    acct.iam().create_user(UserName="bob")
    record = record_of(audited, request_id(acct.iam().get_user(UserName="bob")))
    assert record["readOnly"] is True
    assert record["responseElements"] is None
    assert record["requestParameters"] == {"userName": "bob"}


def test_an_allowed_call_names_the_statement_that_allowed_it(
    audited: Server, acct: Account
) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Reads", "Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}],
    }
    carol, key_id = _user_with_key(acct, "carol", policy)
    record = record_of(audited, request_id(carol.get_user(UserName="carol")))
    assert record["userIdentity"]["type"] == "IAMUser"
    assert record["userIdentity"]["userName"] == "carol"
    assert record["userIdentity"]["accessKeyId"] == key_id
    (evaluation,) = record["iamd"]["evaluations"]
    assert evaluation["action"] == "iam:GetUser"
    assert evaluation["resource"] == f"arn:aws:iam::{acct.id}:user/carol"
    assert evaluation["decision"] == "allowed"
    assert evaluation["matchedStatements"][0]["sid"] == "Reads"
    assert evaluation["matchedStatements"][0]["policyId"] == "p"


def test_a_denied_call_is_recorded_with_what_was_missing(audited: Server, acct: Account) -> None:
    dave, _ = _user_with_key(acct, "dave")
    record = record_of(audited, _error_id(dave.list_users))
    assert record["errorCode"] == "AccessDenied"
    assert "iam:ListUsers" in record["errorMessage"]
    assert record["responseElements"] is None
    assert record["iamd"]["decision"] == "Denied"
    assert record["iamd"]["httpStatus"] == 403
    (evaluation,) = record["iamd"]["evaluations"]
    assert evaluation["decision"] == "implicitDeny"
    assert evaluation["deniedBy"] == "identity-based policy"
    assert evaluation["matchedStatements"] == []


def test_an_explicit_deny_names_the_deny_statement(audited: Server, acct: Account) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
            {"Sid": "NoLists", "Effect": "Deny", "Action": "iam:List*", "Resource": "*"},
        ],
    }
    erin, _ = _user_with_key(acct, "erin", policy)
    record = record_of(audited, _error_id(erin.list_users))
    (evaluation,) = record["iamd"]["evaluations"]
    assert evaluation["decision"] == "explicitDeny"
    assert [s["sid"] for s in evaluation["matchedStatements"]] == ["NoLists"]


def test_a_validation_error_is_recorded_without_parameters(audited: Server, acct: Account) -> None:
    record = record_of(audited, _error_id(acct.iam().create_user, UserName="no spaces"))
    assert record["errorCode"] == "ValidationError"
    assert record["eventName"] == "CreateUser"
    assert record["requestParameters"] is None
    assert record["userIdentity"]["type"] == "Root"


def test_a_malformed_body_is_recorded(audited: Server, acct: Account) -> None:
    status, rid = raw_post(audited, "Action=ListUsers&Version=2010-05-08&x=%zz", account=acct)
    assert status == 404  # AWS's status for MalformedQueryString
    record = record_of(audited, rid)
    assert record["errorCode"] == "MalformedQueryString"
    assert record["userIdentity"] == {"type": "Unknown"}
    assert record["requestParameters"] is None


def test_an_unknown_action_is_recorded(audited: Server, acct: Account) -> None:
    status, rid = raw_post(audited, "Action=FlyToTheMoon&Version=2010-05-08", account=acct)
    assert status == 400
    record = record_of(audited, rid)
    assert record["errorCode"] == "InvalidAction"
    assert record["eventName"] == "FlyToTheMoon"
    assert record["readOnly"] is None


def test_an_unsigned_request_is_recorded(audited: Server) -> None:
    status, rid = raw_post(audited, "Action=ListUsers&Version=2010-05-08")
    assert status in (400, 403)
    record = record_of(audited, rid)
    assert record["errorCode"] == "MissingAuthenticationToken"
    assert record["userIdentity"] == {"type": "Unknown"}
    assert record["recipientAccountId"] is None


def test_an_unknown_key_is_recorded(audited: Server) -> None:
    client = boto3.client(
        "iam",
        endpoint_url=audited.endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIANOSUCHKEY0000000",
        aws_secret_access_key="x" * 40,
        config=CLIENT_CONFIG,
    )
    record = record_of(audited, _error_id(client.list_users))
    assert record["errorCode"] == "InvalidClientTokenId"
    assert record["userIdentity"] == {"type": "Unknown", "accessKeyId": "AKIANOSUCHKEY0000000"}
    assert record["eventName"] == "ListUsers"


def test_a_bad_signature_is_recorded_without_the_principal(audited: Server, acct: Account) -> None:
    status, rid = raw_post(
        audited, "Action=ListUsers&Version=2010-05-08", account=acct, secret="y" * 40
    )
    assert status == 403
    record = record_of(audited, rid)
    assert record["errorCode"] == "SignatureDoesNotMatch"
    assert record["userIdentity"] == {"type": "Unknown", "accessKeyId": acct.root_key_id}


def test_sts_calls_are_recorded_under_sts(audited: Server, acct: Account) -> None:
    answer = acct.sts().get_caller_identity()
    record = record_of(audited, request_id(answer))
    assert record["eventSource"] == "sts.amazonaws.com"
    assert record["eventName"] == "GetCallerIdentity"
    assert record["iamd"]["decision"] == "NotEvaluated"
