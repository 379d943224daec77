"""The policy simulator: SimulateCustomPolicy, SimulatePrincipalPolicy,
GetContextKeysForCustomPolicy, GetContextKeysForPrincipalPolicy ("Testing IAM policies with the
IAM policy simulator", access_policies_testing-policies). Every result is decided by the same
engine call that guards the API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamd.arn import Arn, ArnError
from iamd.errors import InvalidInput, NoSuchEntity
from iamd.policy import (
    CompiledPolicy,
    ContextEntry,
    PolicyError,
    PolicyKind,
    PolicySet,
    PolicyType,
    ResourceResult,
    SimulationResult,
    StatementRef,
    compile_policy,
    context_from_entries,
    context_keys,
    parse_policy,
    simulate,
)
from iamd.policy import Principal as EnginePrincipal
from iamd.policy import PrincipalType as EnginePrincipalType
from iamd.services.authorization import identity_policies
from iamd.services.context import Call
from iamd.services.iam.arn_params import on_arn
from iamd.services.iam.paging import DEFAULT_MAX_ITEMS, offset_page, page_result
from iamd.services.registry import iam_operation

__all__ = [
    "get_context_keys_for_custom_policy",
    "get_context_keys_for_principal_policy",
    "simulate_custom_policy",
    "simulate_principal_policy",
]


def _inputs(
    texts: Sequence[str] | None, list_name: str, policy_type: PolicyType, kind: PolicyKind
) -> list[CompiledPolicy]:
    out = []
    for i, text in enumerate(texts or (), start=1):
        try:
            document = parse_policy(text, kind)
        except PolicyError as err:
            raise InvalidInput(f"{list_name}.{i}: {err.message}") from None
        out.append(compile_policy(document, f"{list_name}.{i}", policy_type))
    return out


def _policy_inputs(texts: Sequence[str] | None) -> list[CompiledPolicy]:
    """PolicyInputList: identity-based policies, as the engine's custom policies."""
    return _inputs(texts, "PolicyInputList", PolicyType.CUSTOM, PolicyKind.IDENTITY)


def _boundary_inputs(texts: Sequence[str] | None) -> list[CompiledPolicy]:
    """PermissionsBoundaryPolicyInputList."""
    return _inputs(
        texts,
        "PermissionsBoundaryPolicyInputList",
        PolicyType.PERMISSIONS_BOUNDARY,
        PolicyKind.IDENTITY,
    )


def _context(entries: Sequence[Mapping[str, Any]] | None) -> Mapping[str, tuple[str, ...]]:
    try:
        return context_from_entries(
            ContextEntry(
                str(e.get("context_key_name", "")),
                tuple(str(v) for v in e.get("context_key_values") or ()),
                str(e.get("context_key_type", "string")),
            )
            for e in entries or ()
        )
    except ValueError as err:
        raise InvalidInput(str(err)) from None


def _caller(call: Call, caller_arn: str | None) -> EnginePrincipal:
    """The simulated caller: CallerArn when given, else an IAM user of the caller's account
    (never the root user, whom policies do not bind)."""
    if caller_arn is None:
        return EnginePrincipal(
            EnginePrincipalType.USER,
            f"arn:aws:iam::{call.account_id}:user/simulated",
            call.account_id,
        )
    try:
        arn = Arn.parse(caller_arn)
    except ArnError:
        raise InvalidInput(f"Invalid CallerArn: {caller_arn}") from None
    kind = arn.resource_type
    types = {"user": EnginePrincipalType.USER, "assumed-role": EnginePrincipalType.ASSUMED_ROLE}
    if kind not in types:
        raise InvalidInput("CallerArn must be the ARN of an IAM user or an assumed role.")
    entity = None
    if kind == "assumed-role":
        # The role of a role session, as a resource-based policy may name it.
        role = arn.resource.split("/")[1] if arn.resource.count("/") >= 2 else ""
        entity = f"arn:aws:iam::{arn.account}:role/{role}"
    return EnginePrincipal(types[kind], caller_arn, arn.account or call.account_id, entity)


def _statement_out(ref: StatementRef) -> dict[str, object]:
    return {
        "source_policy_id": ref.policy_id,
        "source_policy_type": ref.source_type,
        "start_position": {"line": ref.start.line, "column": ref.start.column},
        "end_position": {"line": ref.end.line, "column": ref.end.column},
    }


def _why(result: SimulationResult | ResourceResult) -> dict[str, object]:
    """What an EvaluationResult and a ResourceSpecificResult both say of their decision: the
    statements that matched, the context keys missing, and the per-policy-type details."""
    out: dict[str, object] = {
        "matched_statements": [_statement_out(r) for r in result.matched],
        "missing_context_values": list(result.missing_context_keys),
    }
    if result.decision_details:
        out["eval_decision_details"] = {k: v.value for k, v in result.decision_details}
    if result.allowed_by_boundary is not None:
        out["permissions_boundary_decision_detail"] = {
            "allowed_by_permissions_boundary": result.allowed_by_boundary
        }
    return out


def _resource_out(result: ResourceResult) -> dict[str, object]:
    return {
        "eval_resource_name": result.resource,
        "eval_resource_decision": result.decision.value,
        **_why(result),
    }


def _result_out(result: SimulationResult) -> dict[str, object]:
    return {
        "eval_action_name": result.action,
        "eval_resource_name": result.resource,
        "eval_decision": result.decision.value,
        **_why(result),
        "resource_specific_results": [_resource_out(r) for r in result.resource_results],
    }


def _run(
    call: Call,
    identity: Sequence[CompiledPolicy],
    boundary: Sequence[CompiledPolicy] | None,
    params: Mapping[str, Any],
) -> Mapping[str, object]:
    resource_policy = None
    if params.get("resource_policy"):
        resource_policy = _inputs(
            [params["resource_policy"]], "ResourcePolicy", PolicyType.RESOURCE, PolicyKind.RESOURCE
        )[0]
    policies = PolicySet(
        identity=tuple(identity),
        boundary=tuple(boundary) if boundary else None,
        resource=resource_policy,
        resource_owner=params.get("resource_owner"),
    )
    results = simulate(
        _caller(call, params.get("caller_arn")),
        list(params["action_names"]),
        list(params.get("resource_arns") or ("*",)),
        policies,
        _context(params.get("context_entries")),
        params.get("resource_owner"),
    )
    marker = params.get("marker")
    if marker is not None:
        marker = str(marker)
        if not marker.isdigit() or int(marker) > len(results):  # also refused past the end
            raise InvalidInput("Invalid Marker.")
    max_items = int(params.get("max_items") or DEFAULT_MAX_ITEMS)
    page = offset_page(results, marker, max_items)
    return page_result(page, "evaluation_results", _result_out)


@iam_operation("SimulateCustomPolicy", write=False)
def simulate_custom_policy(call: Call, **params: Any) -> Mapping[str, object]:
    identity = _policy_inputs(params.get("policy_input_list"))
    boundary = _boundary_inputs(params.get("permissions_boundary_policy_input_list"))
    return _run(call, identity, boundary or None, params)


def _source_policies(
    call: Call, source_arn: str
) -> tuple[list[CompiledPolicy], tuple[CompiledPolicy, ...] | None]:
    """The policies of the user or group ``source_arn`` names, as the engine sees them."""
    from iamd.policy import PolicyType as T

    try:
        arn = Arn.parse(source_arn)
    except ArnError:
        raise InvalidInput(f"Invalid PolicySourceArn: {source_arn}") from None
    name = arn.resource.rsplit("/", 1)[-1]
    uow = call.uow
    if arn.account != call.account_id:
        raise NoSuchEntity(f"The entity {source_arn} cannot be found.")
    if arn.resource_type == "user":
        user = uow.users.get(call.account_id, name)
        if user is None or user.arn != source_arn:
            raise NoSuchEntity(f"The user with name {name} cannot be found.")
        identity, boundary = identity_policies(uow, call.deps.compiled, call.account_id, user.id)
        return list(identity), boundary
    if arn.resource_type == "group":
        group = uow.groups.get(call.account_id, name)
        if group is None or group.arn != source_arn:
            raise NoSuchEntity(f"The group with name {name} cannot be found.")
        from iamd.domain import PolicyOwnerKind

        found = [
            call.deps.compiled.get(p.document, p.name, T.GROUP_INLINE)
            for p in uow.inline_policies.all(PolicyOwnerKind.GROUP, group.id)
        ]
        for attached in uow.policies.all_attached(PolicyOwnerKind.GROUP, group.id):
            version = uow.policies.default_version(attached.arn)
            if version is not None:
                found.append(
                    call.deps.compiled.get(
                        version.document,
                        attached.name,
                        T.GROUP_MANAGED,
                        aws_managed=attached.arn.startswith("arn:aws:iam::aws:"),
                    )
                )
        return found, None
    raise InvalidInput(f"Invalid PolicySourceArn: {source_arn}")


@iam_operation("SimulatePrincipalPolicy", write=False, authz=on_arn("policy_source_arn"))
def simulate_principal_policy(call: Call, **params: Any) -> Mapping[str, object]:
    identity, boundary = _source_policies(call, params["policy_source_arn"])
    identity += _policy_inputs(params.get("policy_input_list"))
    extra = _boundary_inputs(params.get("permissions_boundary_policy_input_list"))
    if extra:
        boundary = tuple(extra)
    params = dict(params)
    params.setdefault(
        "caller_arn",
        params["policy_source_arn"] if ":user/" in params["policy_source_arn"] else None,
    )
    return _run(call, identity, boundary, params)


@iam_operation("GetContextKeysForCustomPolicy", write=False)
def get_context_keys_for_custom_policy(
    call: Call, *, policy_input_list: Sequence[str]
) -> Mapping[str, object]:
    compiled = _policy_inputs(policy_input_list)
    return {"context_key_names": list(context_keys(compiled))}


@iam_operation("GetContextKeysForPrincipalPolicy", write=False, authz=on_arn("policy_source_arn"))
def get_context_keys_for_principal_policy(
    call: Call, *, policy_source_arn: str, policy_input_list: Sequence[str] | None = None
) -> Mapping[str, object]:
    identity, boundary = _source_policies(call, policy_source_arn)
    identity += _policy_inputs(policy_input_list)
    return {"context_key_names": list(context_keys([*identity, *(boundary or ())]))}
