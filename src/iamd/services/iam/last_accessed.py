"""Service last accessed data: GenerateServiceLastAccessedDetails,
GetServiceLastAccessedDetails(+WithEntities) and ListPoliciesGrantingServiceAccess ("Refine
permissions in AWS using last accessed information", access_policies_last-accessed).

The services listed are those the identity's permissions policies grant (domain
``service_access``: permissions policy logic only, as AWS documents); when each was last used
comes from the ``last_access`` records the request pipeline writes. A job is computed when it is
generated (it is ``COMPLETED`` at once) and kept as a snapshot; jobs older than 30 days are
forgotten. ACTION_LEVEL jobs report the actions of the services AWS tracks at action level
(Amazon EC2, IAM, AWS Lambda, Amazon S3) that were used. The job and entity texts of
NoSuchEntity / InvalidInput are iamd's own.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from iamd.domain import Group, LastAccess, PolicyOwnerKind, Report, ReportKind, grants_service
from iamd.errors import InvalidInput, NoSuchEntity
from iamd.policy import PolicyDocument
from iamd.services.context import Call
from iamd.services.iam.access_entities import Entity, Target, entities_for, resolve_entity
from iamd.services.iam.arn_params import on_arn
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, offset_page, page_fields
from iamd.services.iam.service_catalog import aws_services, identity_policies, parsed_document
from iamd.services.registry import iam_operation

__all__ = [
    "generate_service_last_accessed_details",
    "get_service_last_accessed_details",
    "get_service_last_accessed_details_with_entities",
    "list_policies_granting_service_access",
]

JOB_RETENTION = dt.timedelta(days=30)
ACTION_TRACKED_SERVICES = frozenset({"ec2", "iam", "lambda", "s3"})


def _job_id(call: Call) -> str:
    token = call.deps.ids.token(16)
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))[:16]
    return str(uuid.UUID(bytes=raw.ljust(16, b"\0"), version=4))


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _latest(records: Sequence[LastAccess]) -> LastAccess | None:
    return max(records, key=lambda r: r.last_accessed_at, default=None)


def _service_entry(
    namespace: str, name: str, records: Sequence[LastAccess], action_level: bool
) -> dict[str, Any]:
    latest = _latest(records)
    entry: dict[str, Any] = {
        "namespace": namespace,
        "name": name,
        "last": _iso(latest.last_accessed_at) if latest else None,
        "entity": latest.entity_arn if latest else None,
        "region": latest.region if latest else None,
        "total": len({r.entity_arn for r in records}),
    }
    if action_level and namespace in ACTION_TRACKED_SERVICES:
        by_action: dict[str, list[LastAccess]] = {}
        for record in records:
            by_action.setdefault(record.action, []).append(record)
        entry["actions"] = [
            {
                "action": action,
                "entity": newest.entity_arn,
                "last": _iso(newest.last_accessed_at),
                "region": newest.region,
            }
            for action, found in sorted(by_action.items())
            if (newest := _latest(found)) is not None
        ]
    return entry


def _policies_of(call: Call, target: Target) -> list[PolicyDocument]:
    if target.identity is not None:
        return [p.document for p in identity_policies(call, target.identity)]
    if target.policy is None:
        return []
    version = call.uow.policies.default_version(target.policy.arn)
    document = parsed_document(version.document) if version else None
    return [document] if document is not None else []


@iam_operation("GenerateServiceLastAccessedDetails", write=True, authz=on_arn("arn"))
def generate_service_last_accessed_details(
    call: Call, *, arn: str, granularity: str = "SERVICE_LEVEL"
) -> Mapping[str, object]:
    target = resolve_entity(call, arn, allow_policy=True)
    documents = _policies_of(call, target)
    entities = entities_for(call, target)
    records = call.uow.last_access.for_entities(call.account_id, [e.arn for e in entities])
    by_service: dict[str, list[LastAccess]] = {}
    for record in records:
        by_service.setdefault(record.service_namespace, []).append(record)
    action_level = granularity == "ACTION_LEVEL"
    services = [
        _service_entry(s.namespace, s.name, by_service.get(s.namespace, ()), action_level)
        for s in aws_services()
        if grants_service(documents, s)
    ]
    content = {
        "job_type": granularity,
        "caller": call.caller.arn,
        "services": services,
        "entities": [e.as_json() for e in entities],
        "records": [[r.entity_arn, r.service_namespace, _iso(r.last_accessed_at)] for r in records],
        "per_entity": target.policy is not None or isinstance(target.identity, Group),
    }
    job_id = _job_id(call)
    reports = call.uow.reports
    reports.delete_before(call.account_id, ReportKind.SERVICE_ACCESS, call.now - JOB_RETENTION)
    reports.put(
        Report(
            account_id=call.account_id,
            kind=ReportKind.SERVICE_ACCESS,
            id=job_id,
            state="COMPLETED",
            created_at=call.now,
            completed_at=call.now,
            content=json.dumps(content).encode(),
            parameters=json.dumps({"arn": arn, "granularity": granularity}),
        )
    )
    return {"job_id": job_id}


def _job(call: Call, job_id: str) -> tuple[Report, dict[str, Any]]:
    report = call.uow.reports.get(call.account_id, ReportKind.SERVICE_ACCESS, job_id)
    content = json.loads(report.content) if report and report.content else None
    # "The JobId ... must be used by the same role within a session, or by the same user."
    if report is None or content is None or content.get("caller") != call.caller.arn:
        raise NoSuchEntity(f"The job with ID {job_id} cannot be found.")
    return report, content


@iam_operation("GetServiceLastAccessedDetails", write=False)
def get_service_last_accessed_details(
    call: Call, *, job_id: str, max_items: int = DEFAULT_MAX_ITEMS, marker: str | None = None
) -> Mapping[str, object]:
    report, content = _job(call, job_id)
    page = offset_page(content["services"], marker, max_items)
    services = []
    for s in page.items:
        entry: dict[str, object] = {
            "service_name": s["name"],
            "service_namespace": s["namespace"],
            "last_authenticated": _when(s["last"]),
            "last_authenticated_entity": s["entity"],
            "last_authenticated_region": s["region"],
            "total_authenticated_entities": s["total"],
        }
        if "actions" in s:
            entry["tracked_actions_last_accessed"] = [
                {
                    "action_name": a["action"],
                    "last_accessed_entity": a["entity"],
                    "last_accessed_time": _when(a["last"]),
                    "last_accessed_region": a["region"],
                }
                for a in s["actions"]
            ] or None
        services.append(entry)
    return {
        "job_status": report.state,
        "job_type": content["job_type"],
        "job_creation_date": report.created_at,
        "services_last_accessed": services,
        "job_completion_date": report.completed_at,
        **page_fields(page),
    }


@iam_operation("GetServiceLastAccessedDetailsWithEntities", write=False)
def get_service_last_accessed_details_with_entities(
    call: Call,
    *,
    job_id: str,
    service_namespace: str,
    max_items: int = DEFAULT_MAX_ITEMS,
    marker: str | None = None,
) -> Mapping[str, object]:
    """For group and policy jobs: the users and roles that could have used the service."""
    report, content = _job(call, job_id)
    if not content["per_entity"]:
        raise InvalidInput("Entity details are available for group and policy jobs only.")
    if not any(s["namespace"] == service_namespace for s in content["services"]):
        raise InvalidInput(f"The service {service_namespace} is not granted in this job.")
    last: dict[str, dt.datetime] = {}
    for entity_arn, namespace, when in content["records"]:
        at = _when(when)
        if (
            namespace == service_namespace
            and at
            and (entity_arn not in last or at > last[entity_arn])
        ):
            last[entity_arn] = at
    page = offset_page(content["entities"], marker, max_items)
    return {
        "job_status": report.state,
        "job_creation_date": report.created_at,
        "job_completion_date": report.completed_at,
        "entity_details_list": [
            {"entity_info": Entity.info_from_json(e), "last_authenticated": last.get(e["arn"])}
            for e in page.items
        ],
        **page_fields(page),
    }


@iam_operation("ListPoliciesGrantingServiceAccess", write=False, authz=on_arn("arn"))
def list_policies_granting_service_access(
    call: Call, *, arn: str, service_namespaces: Sequence[str], marker: str | None = None
) -> Mapping[str, object]:
    target = resolve_entity(call, arn, allow_policy=False)
    policies = identity_policies(call, target.identity) if target.identity else []
    catalog = {s.namespace: s for s in aws_services()}
    entries = []
    for namespace in service_namespaces:
        service = catalog.get(namespace)
        granting: list[dict[str, object]] = []
        seen_managed: set[str] = set()
        for policy in policies:
            if service is None or not grants_service([policy.document], service):
                continue
            if policy.arn is not None:
                if policy.arn in seen_managed:
                    continue
                seen_managed.add(policy.arn)
                granting.append(
                    {"policy_name": policy.name, "policy_type": "MANAGED", "policy_arn": policy.arn}
                )
            else:
                kind = policy.owner_kind or PolicyOwnerKind.USER
                granting.append(
                    {
                        "policy_name": policy.name,
                        "policy_type": "INLINE",
                        "entity_type": kind.value.upper(),
                        "entity_name": policy.owner_name,
                    }
                )
        entries.append({"service_namespace": namespace, "policies": granting})
    return {"policies_granting_service_access": entries, "is_truncated": False}
