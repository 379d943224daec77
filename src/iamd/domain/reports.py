"""Reports an account asks IAM to prepare, and the access records they are made from.

- The credential report ("Generate credential reports for your AWS account",
  id_credentials_getting-report): one per account, regenerated at most every four hours.
- Service last accessed jobs ("Refine permissions in AWS using last accessed information",
  access_policies_last-accessed): one per GenerateServiceLastAccessedDetails call.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

__all__ = ["LastAccess", "Report", "ReportKind"]


class ReportKind(enum.Enum):
    CREDENTIAL = "credential"
    SERVICE_ACCESS = "access"


@dataclass(frozen=True, slots=True)
class Report:
    """A stored report. ``id`` is ``""`` for the credential report (one per account) and the
    job id for a service last accessed job; ``parameters`` is JSON the service reads back."""

    account_id: str
    kind: ReportKind
    id: str
    state: str
    created_at: dt.datetime
    completed_at: dt.datetime | None = None
    content: bytes | None = None
    parameters: str | None = None


@dataclass(frozen=True, slots=True)
class LastAccess:
    """When an identity (user or role ARN) last called ``action`` of a service, and in which
    Region. ``action`` is the action's name without the service prefix (``GetObject`` for
    ``s3:GetObject``), as TrackedActionsLastAccessed reports it."""

    entity_arn: str
    service_namespace: str
    action: str
    last_accessed_at: dt.datetime
    region: str | None = None
