"""What a caller passes into a new session: session policies and session tags ("Session
policies", access_policies#policies_session; "Passing session tags in AWS STS",
id_session-tags).

- ``Policy`` is validated by the policy engine as a session policy; ``PolicyArns`` name at most
  ten managed policies of the session's account (or AWS managed policies); "the plaintext that
  you use for both inline and managed session policies can't exceed 2,048 characters".
- ``Tags``: at most 50, keys unique regardless of case, not ``aws:``; ``TransitiveTagKeys``
  name passed tags; an inherited transitive tag may not be passed again ("If you pass a session
  tag with the same key as an inherited tag, the operation fails").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from iamd.errors import InvalidParameterValue, MalformedPolicyDocument, ValidationError
from iamd.policy import SESSION_POLICY_SIZE, PolicyError, PolicyKind, parse_policy
from iamd.storage import UnitOfWork

__all__ = [
    "MAX_POLICY_ARNS",
    "MAX_SESSION_TAGS",
    "SessionTags",
    "checked_session_policies",
    "checked_session_tags",
    "tags_context",
]

MAX_POLICY_ARNS = 10
MAX_SESSION_TAGS = 50


def checked_session_policies(
    uow: UnitOfWork,
    account_id: str,
    policy: str | None,
    policy_arns: Sequence[Mapping[str, Any]] | None,
) -> tuple[str | None, tuple[str, ...]]:
    """The inline session policy and the managed session policy ARNs, checked.

    Messages: a malformed document is MalformedPolicyDocument with the engine's message (as
    IAM answers for identity policies); the rest are inferred from the API Reference's
    constraints, worded as AWS's validation errors.
    """
    arns = tuple(str(item.get("arn", "")) for item in policy_arns or ())
    if len(arns) > MAX_POLICY_ARNS:
        raise ValidationError(
            "1 validation error detected: Value at 'policyArns' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_POLICY_ARNS}"
        )
    plaintext = len(policy or "") + sum(len(arn) for arn in arns)
    if plaintext > SESSION_POLICY_SIZE:
        raise ValidationError(
            "1 validation error detected: Value at 'policy' failed to satisfy constraint: "
            f"Member must have length less than or equal to {SESSION_POLICY_SIZE}"
        )
    if policy is not None:
        try:
            parse_policy(policy, PolicyKind.SESSION)
        except PolicyError as err:
            raise MalformedPolicyDocument(err.message) from None
    for arn in arns:
        owner = arn.split(":")[4] if arn.count(":") >= 5 else ""
        if owner not in (account_id, "aws") or uow.policies.get(account_id, arn) is None:
            # Inferred: the managed policy must exist in the session's account.
            raise MalformedPolicyDocument(f"Policy {arn} does not exist or is not attachable.")
    return policy, arns


@dataclass(frozen=True, slots=True)
class SessionTags:
    """Session tags (passed, then inherited transitive ones) and the transitive keys."""

    tags: tuple[tuple[str, str], ...] = ()
    transitive_keys: tuple[str, ...] = ()
    passed_keys: tuple[str, ...] = ()


def checked_session_tags(
    given: Sequence[Mapping[str, Any]] | None,
    transitive: Sequence[str] | None,
    inherited: Iterable[tuple[str, str]] = (),
    inherited_transitive: Iterable[str] = (),
) -> SessionTags:
    """The session's tags: those passed now and the transitive tags of the calling session.

    Messages are inferred (AWS documents the rules, not the wording of their refusals).
    """
    passed: dict[str, tuple[str, str]] = {}
    for tag in given or ():
        key, value = str(tag["key"]), str(tag.get("value", ""))
        lowered = key.lower()
        if lowered.startswith("aws:"):
            raise InvalidParameterValue('Tag keys must not begin with the reserved prefix "aws:".')
        if lowered in passed:
            raise InvalidParameterValue(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive."
            )
        passed[lowered] = (key, value)
    inherited_keys = {key.lower() for key in inherited_transitive}
    kept = [(k, v) for k, v in inherited if k.lower() in inherited_keys]
    for key, _ in kept:
        if key.lower() in passed:
            raise InvalidParameterValue(
                f"Session tag key {key} is an inherited transitive tag and cannot be changed."
            )
    if len(passed) + len(kept) > MAX_SESSION_TAGS:
        raise ValidationError(
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_SESSION_TAGS}"
        )
    transitive_keys: list[str] = []
    for key in transitive or ():
        if key.lower() not in passed:
            raise InvalidParameterValue(
                f"The transitive tag key {key} is not one of the session tags passed."
            )
        if key.lower() not in {k.lower() for k in transitive_keys}:
            transitive_keys.append(passed[key.lower()][0])
    transitive_keys.extend(k for k, _ in kept)
    return SessionTags(
        tags=(*passed.values(), *kept),
        transitive_keys=tuple(transitive_keys),
        passed_keys=tuple(k for k, _ in passed.values()),
    )


def tags_context(tags: SessionTags) -> dict[str, tuple[str, ...]]:
    """``aws:RequestTag/*``, ``aws:TagKeys`` and ``sts:TransitiveTagKeys`` of the passed tags
    (lower-cased keys), for the trust policy's conditions."""
    context: dict[str, tuple[str, ...]] = {}
    passed = {key.lower() for key in tags.passed_keys}
    for key, value in tags.tags:
        if key.lower() in passed:
            context[f"aws:requesttag/{key.lower()}"] = (value,)
    if tags.passed_keys:
        context["aws:tagkeys"] = tags.passed_keys
    if tags.transitive_keys:
        context["sts:transitivetagkeys"] = tags.transitive_keys
    return context
