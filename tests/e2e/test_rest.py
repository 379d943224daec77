"""The operations for features iamd does not have (AWS Organizations, temporary delegation,
outbound identity federation, role templates): each answers as AWS answers an account without
the feature, or refuses saying why — never a success that did nothing. The decisions are listed
in docs/api-coverage.md."""

from __future__ import annotations

from iamd_testkit import Account, aws_error

NO_ORGANIZATION = (
    "The request was rejected because no organization is associated with your account."
)
REQUEST_ID = "delegation-request-0001"


def test_root_credential_features_need_an_organization(account: Account) -> None:
    iam = account.iam()
    for call in (
        iam.list_organizations_features,
        iam.enable_organizations_root_credentials_management,
        iam.disable_organizations_root_credentials_management,
        iam.enable_organizations_root_sessions,
        iam.disable_organizations_root_sessions,
    ):
        error = aws_error(call)
        assert (error.code, error.status, error.message) == (
            "OrganizationNotFoundException",
            400,
            NO_ORGANIZATION,
        ), call


def test_organizations_access_reports(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.generate_organizations_access_report, EntityPath="o-a1b2c3d4e5/r-f6g7h8i9j0example"
    )
    assert error.code == "OrganizationNotFoundException"
    error = aws_error(
        iam.get_organizations_access_report, JobId="00000000-0000-4000-8000-000000000000"
    )
    assert (error.code, error.status) == ("NoSuchEntity", 404)


def test_no_delegation_request_exists(account: Account) -> None:
    iam = account.iam()
    listed = iam.list_delegation_requests()
    assert listed["DelegationRequests"] == []
    assert listed["isTruncated"] is False
    for call in (
        iam.get_delegation_request,
        iam.accept_delegation_request,
        iam.associate_delegation_request,
        iam.reject_delegation_request,
        iam.update_delegation_request,
        iam.send_delegation_token,
    ):
        error = aws_error(call, DelegationRequestId=REQUEST_ID)
        assert (error.code, error.status) == ("NoSuchEntity", 404), call
        assert REQUEST_ID in error.message


def test_delegation_requests_cannot_be_created(account: Account) -> None:
    iam = account.iam()
    error = aws_error(
        iam.create_delegation_request,
        Description="deploy our product",
        Permissions={"PolicyTemplateArn": "arn:aws:iam::aws:policy-template/Example"},
        RequestorWorkflowId="workflow-1",
        NotificationChannel="arn:aws:sns:us-east-1:123456789012:topic",
        SessionDuration=3600,
    )
    assert (error.code, error.status) == ("InvalidInput", 400)
    assert "onboarded" in error.message
    assert iam.list_delegation_requests()["DelegationRequests"] == []


def test_human_readable_summaries_are_for_delegation_requests(account: Account) -> None:
    iam = account.iam()
    arn = f"arn:aws:iam::{account.id}:delegation-request/{REQUEST_ID}"
    error = aws_error(iam.get_human_readable_summary, EntityArn=arn)
    assert error.code == "NoSuchEntity"
    error = aws_error(
        iam.get_human_readable_summary, EntityArn=f"arn:aws:iam::{account.id}:user/someone"
    )
    assert (error.code, error.status) == ("InvalidInput", 400)


def test_outbound_web_identity_federation_is_disabled(account: Account) -> None:
    iam = account.iam()
    for call in (
        iam.get_outbound_web_identity_federation_info,
        iam.disable_outbound_web_identity_federation,
    ):
        error = aws_error(call)
        assert (error.code, error.status) == ("FeatureDisabled", 404), call
    # Enabling would hand out an issuer that verifies nothing: answered as an unknown action.
    error = aws_error(iam.enable_outbound_web_identity_federation)
    assert error.code == "InvalidAction"
    assert aws_error(iam.get_outbound_web_identity_federation_info).code == "FeatureDisabled"


def test_no_role_template_exists(account: Account) -> None:
    iam = account.iam()
    arn = "arn:aws:iam::aws:role-template/ExampleTemplate"
    error = aws_error(iam.get_role_template_version, TemplateArn=arn)
    assert (error.code, error.status) == ("NoSuchEntity", 404)
    error = aws_error(iam.acquire_role, TemplateArn=arn)
    assert error.code == "NoSuchEntity"
    assert iam.list_roles()["Roles"] == []
