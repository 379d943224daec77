"""GenerateCredentialReport and GetCredentialReport ("Generate credential reports for your AWS
account", id_credentials_getting-report).

"You can generate a credential report as often as once every four hours. When you request a
report, IAM first checks whether a report for the AWS account has been generated within the
past four hours. If so, the most recent report is downloaded." iamd builds the report inside the
GenerateCredentialReport call, and answers as AWS does: ``STARTED`` ("No report exists. Starting
a new report generation task", AWS's text, prowler-cloud/prowler#272) when it makes a new one,
``COMPLETE`` while the report is under four hours old. Because the report is ready when
GenerateCredentialReport answers, GetCredentialReport never answers ``ReportInProgress``.

``ReportNotPresent`` (410) carries no message, as AWS sends it (turbot/steampipe-plugin-aws#509
shows the empty text). A report more than four hours old answers ``ReportExpired`` (410) — the
exception's documented meaning; the text is the model's documentation of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from iamd.domain import Report, ReportKind, render_credential_report
from iamd.errors import AwsError
from iamd.services.context import Call
from iamd.services.registry import iam_operation

__all__ = [
    "REPORT_LIFETIME",
    "ReportExpired",
    "ReportInProgress",
    "ReportNotPresent",
    "generate_credential_report",
    "get_credential_report",
]

REPORT_LIFETIME = dt.timedelta(hours=4)


class ReportNotPresent(AwsError):
    """botocore's CredentialReportNotPresentException."""

    code = "ReportNotPresent"
    status = 410


class ReportExpired(AwsError):
    """botocore's CredentialReportExpiredException."""

    code = "ReportExpired"
    status = 410


class ReportInProgress(AwsError):
    """botocore's CredentialReportNotReadyException (never answered: see the module)."""

    code = "ReportInProgress"
    status = 404


def _current(call: Call) -> Report | None:
    return call.uow.reports.get(call.account_id, ReportKind.CREDENTIAL, "")


@iam_operation("GenerateCredentialReport", write=True)
def generate_credential_report(call: Call) -> Mapping[str, object]:
    report = _current(call)
    if report is not None and call.now - report.created_at < REPORT_LIFETIME:
        return {"state": "COMPLETE"}
    reports = call.uow.account_reports
    content = render_credential_report(
        reports.credential_facts(call.account_id),
        max_password_age=reports.max_password_age(call.account_id),
    )
    call.uow.reports.put(
        Report(
            account_id=call.account_id,
            kind=ReportKind.CREDENTIAL,
            id="",
            state="COMPLETE",
            created_at=call.now,
            completed_at=call.now,
            content=content,
        )
    )
    return {
        "state": "STARTED",
        "description": "No report exists. Starting a new report generation task",
    }


@iam_operation("GetCredentialReport", write=False)
def get_credential_report(call: Call) -> Mapping[str, object]:
    report = _current(call)
    if report is None or report.content is None:
        raise ReportNotPresent("")
    if call.now - report.created_at >= REPORT_LIFETIME:
        raise ReportExpired(
            "The request was rejected because the most recent credential report has expired. "
            "To generate a new credential report, use GenerateCredentialReport."
        )
    return {
        "content": report.content,
        "report_format": "text/csv",
        "generated_time": report.created_at,
    }
