"""Service last accessed data over HTTP with boto3: GenerateServiceLastAccessedDetails, Get
ServiceLastAccessedDetails(+WithEntities) and ListPoliciesGrantingServiceAccess. Access records
are written to the store directly (the request pipeline writes them in production)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from iamd.domain import LastAccess
from iamd.server import Opened, ServerConfig, open_data
from iamd_testkit import Account, AccountMaker, Server, aws_error

S3_READ = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
    }
)
IAM_ALL = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}],
    }
)
NOT_IAM = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}],
    }
)
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
WHEN = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def opened(server: Server) -> Iterator[Opened]:
    config = ServerConfig(data_dir=server.data_dir, database_url=server.database_url)
    data = open_data(config, server.env, create=False)
    yield data
    data.store.close()


def _record(
    opened: Opened, account: Account, arn: str, service: str, action: str, at: dt.datetime
) -> None:
    with opened.store.unit_of_work(write=True) as uow:
        uow.last_access.record(account.id, LastAccess(arn, service, action, at, "eu-west-1"))


def _user(iam: Any, name: str, document: str = S3_READ) -> str:
    arn: str = iam.create_user(UserName=name)["User"]["Arn"]
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=document)
    return arn


def _services(iam: Any, job_id: str) -> dict[str, dict[str, Any]]:
    details = iam.get_service_last_accessed_details(JobId=job_id, MaxItems=1000)
    assert details["JobStatus"] == "COMPLETED"
    assert details["IsTruncated"] is False
    return {s["ServiceNamespace"]: s for s in details["ServicesLastAccessed"]}


def test_generate_answers_a_job_id(account: Account) -> None:
    iam = account.iam()
    arn = _user(iam, "u")
    job = iam.generate_service_last_accessed_details(Arn=arn)["JobId"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", job)


def test_services_granted_and_never_accessed(account: Account) -> None:
    iam = account.iam()
    job = iam.generate_service_last_accessed_details(Arn=_user(iam, "u"))["JobId"]
    details = iam.get_service_last_accessed_details(JobId=job)
    assert details["JobType"] == "SERVICE_LEVEL"
    assert details["JobCreationDate"] <= details["JobCompletionDate"]
    [s3] = details["ServicesLastAccessed"]
    assert (s3["ServiceNamespace"], s3["ServiceName"]) == ("s3", "Amazon S3")
    assert s3["TotalAuthenticatedEntities"] == 0
    assert "LastAuthenticated" not in s3


def test_not_action_grants_every_other_service(account: Account) -> None:
    iam = account.iam()
    job = iam.generate_service_last_accessed_details(Arn=_user(iam, "u", NOT_IAM))["JobId"]
    services = _services(iam, job)
    assert "iam" not in services
    assert {"s3", "ec2", "sts", "lambda"} <= set(services)
    first = iam.get_service_last_accessed_details(JobId=job, MaxItems=10)
    assert first["IsTruncated"] is True and len(first["ServicesLastAccessed"]) == 10
    rest = iam.get_service_last_accessed_details(JobId=job, Marker=first["Marker"], MaxItems=1000)
    assert len(first["ServicesLastAccessed"]) + len(rest["ServicesLastAccessed"]) == len(services)


def test_a_marker_iamd_did_not_issue(account: Account) -> None:
    iam = account.iam()
    job = iam.generate_service_last_accessed_details(Arn=_user(iam, "u"))["JobId"]
    error = aws_error(iam.get_service_last_accessed_details, JobId=job, Marker="not-ours")
    assert (error.code, error.status) == ("InvalidInput", 400)


def test_recorded_access_is_reported(opened: Opened, account: Account) -> None:
    iam = account.iam()
    arn = _user(iam, "u")
    _record(opened, account, arn, "s3", "GetObject", WHEN)
    _record(opened, account, arn, "s3", "GetBucketPolicy", WHEN - dt.timedelta(days=1))
    job = iam.generate_service_last_accessed_details(Arn=arn)["JobId"]
    s3 = _services(iam, job)["s3"]
    assert s3["LastAuthenticated"] == WHEN
    assert s3["LastAuthenticatedEntity"] == arn
    assert s3["LastAuthenticatedRegion"] == "eu-west-1"
    assert s3["TotalAuthenticatedEntities"] == 1
    assert "TrackedActionsLastAccessed" not in s3


def test_action_level_reports_tracked_actions(opened: Opened, account: Account) -> None:
    iam = account.iam()
    arn = _user(iam, "u", IAM_ALL)
    _record(opened, account, arn, "iam", "GetUser", WHEN)
    job = iam.generate_service_last_accessed_details(Arn=arn, Granularity="ACTION_LEVEL")["JobId"]
    details = iam.get_service_last_accessed_details(JobId=job)
    assert details["JobType"] == "ACTION_LEVEL"
    [service] = details["ServicesLastAccessed"]
    assert service["TrackedActionsLastAccessed"] == [
        {
            "ActionName": "GetUser",
            "LastAccessedEntity": arn,
            "LastAccessedTime": WHEN,
            "LastAccessedRegion": "eu-west-1",
        }
    ]


def test_a_group_job_lists_its_members(opened: Opened, account: Account) -> None:
    iam = account.iam()
    group = iam.create_group(GroupName="g")["Group"]["Arn"]
    iam.put_group_policy(GroupName="g", PolicyName="p", PolicyDocument=S3_READ)
    used = iam.create_user(UserName="used")["User"]["Arn"]
    iam.create_user(UserName="idle")
    for name in ("used", "idle"):
        iam.add_user_to_group(GroupName="g", UserName=name)
    _record(opened, account, used, "s3", "GetObject", WHEN)
    job = iam.generate_service_last_accessed_details(Arn=group)["JobId"]
    assert _services(iam, job)["s3"]["TotalAuthenticatedEntities"] == 1
    entities = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="s3")
    found = {e["EntityInfo"]["Name"]: e for e in entities["EntityDetailsList"]}
    assert set(found) == {"used", "idle"}
    assert found["used"]["LastAuthenticated"] == WHEN
    assert "LastAuthenticated" not in found["idle"]
    assert found["used"]["EntityInfo"]["Type"] == "USER"
    error = aws_error(
        iam.get_service_last_accessed_details_with_entities, JobId=job, ServiceNamespace="ec2"
    )
    assert error.code == "InvalidInput"


def test_a_policy_job_covers_what_it_is_attached_to(account: Account) -> None:
    iam = account.iam()
    arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="r", PolicyArn=arn)
    job = iam.generate_service_last_accessed_details(Arn=arn)["JobId"]
    assert "s3" in _services(iam, job)
    entities = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="s3")
    assert [
        (e["EntityInfo"]["Name"], e["EntityInfo"]["Type"]) for e in entities["EntityDetailsList"]
    ] == [("r", "ROLE")]


def test_entities_are_for_group_and_policy_jobs(account: Account) -> None:
    iam = account.iam()
    job = iam.generate_service_last_accessed_details(Arn=_user(iam, "u"))["JobId"]
    error = aws_error(
        iam.get_service_last_accessed_details_with_entities, JobId=job, ServiceNamespace="s3"
    )
    assert (error.code, error.status) == ("InvalidInput", 400)


def test_unknown_jobs_and_entities(account: Account) -> None:
    iam = account.iam()
    job = "00000000-0000-4000-8000-000000000000"
    assert aws_error(iam.get_service_last_accessed_details, JobId=job).code == "NoSuchEntity"
    error = aws_error(
        iam.get_service_last_accessed_details_with_entities, JobId=job, ServiceNamespace="s3"
    )
    assert error.code == "NoSuchEntity"
    missing = f"arn:aws:iam::{account.id}:user/ghost"
    error = aws_error(iam.generate_service_last_accessed_details, Arn=missing)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    bad = f"arn:aws:iam::{account.id}:oidc-provider/x.example"
    error = aws_error(iam.generate_service_last_accessed_details, Arn=bad)
    assert (error.code, error.status) == ("InvalidInput", 400)


def test_another_accounts_job_is_not_found(account: Account, make_account: AccountMaker) -> None:
    iam = account.iam()
    job = iam.generate_service_last_accessed_details(Arn=_user(iam, "u"))["JobId"]
    other = make_account()
    assert (
        aws_error(other.iam().get_service_last_accessed_details, JobId=job).code == "NoSuchEntity"
    )


def test_policies_granting_service_access(account: Account) -> None:
    iam = account.iam()
    arn = _user(iam, "u")
    managed = iam.create_policy(PolicyName="IamAll", PolicyDocument=IAM_ALL)["Policy"]["Arn"]
    iam.attach_user_policy(UserName="u", PolicyArn=managed)
    iam.create_group(GroupName="g")
    iam.add_user_to_group(GroupName="g", UserName="u")
    iam.put_group_policy(GroupName="g", PolicyName="gp", PolicyDocument=S3_READ)
    iam.attach_group_policy(GroupName="g", PolicyArn=managed)
    answer = iam.list_policies_granting_service_access(
        Arn=arn, ServiceNamespaces=["s3", "iam", "ec2"]
    )
    assert answer["IsTruncated"] is False
    by_service = {
        e["ServiceNamespace"]: e["Policies"] for e in answer["PoliciesGrantingServiceAccess"]
    }
    assert by_service["s3"] == [
        {"PolicyName": "p", "PolicyType": "INLINE", "EntityType": "USER", "EntityName": "u"},
        {"PolicyName": "gp", "PolicyType": "INLINE", "EntityType": "GROUP", "EntityName": "g"},
    ]
    assert by_service["iam"] == [
        {"PolicyName": "IamAll", "PolicyType": "MANAGED", "PolicyArn": managed}
    ]
    assert by_service["ec2"] == []


def test_policies_granting_service_access_takes_identities_only(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.list_policies_granting_service_access,
        Arn="arn:aws:iam::aws:policy/ReadOnlyAccess",
        ServiceNamespaces=["s3"],
    )
    assert error.code == "InvalidInput"
    error = aws_error(
        iam.list_policies_granting_service_access,
        Arn=f"arn:aws:iam::{account.id}:role/ghost",
        ServiceNamespaces=["s3"],
    )
    assert error.code == "NoSuchEntity"
