"""Tags given on create and tag operations ("Tagging IAM resources", id_tags), how they appear
in responses, and the Tag*/Untag*/List*Tags operations of every taggable resource kind (users,
roles, instance profiles, server certificates, managed policies, MFA devices, OIDC and SAML
providers): each handler finds its resource and hands its tag kind and id to these functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from iamd.domain import Tag, TagRuleViolation, merge_tags, remove_tags
from iamd.errors import InvalidInput, LimitExceeded
from iamd.services.context import Call
from iamd.services.iam.paging import page_result, valid_marker

__all__ = ["checked_tags", "list_resource_tags", "tag_resource", "tags_out", "untag_resource"]


def checked_tags(
    call: Call, existing: Iterable[Tag], given: Sequence[Mapping[str, Any]] | None
) -> tuple[Tag, ...]:
    """``existing`` updated with the tags in a request, under AWS's rules."""
    new = [Tag(str(t["key"]), str(t.get("value", ""))) for t in (given or ())]
    try:
        return merge_tags(existing, new, call.deps.quotas.tags_per_resource)
    except TagRuleViolation as err:
        if err.kind == "limit":
            raise LimitExceeded(err.message) from None
        raise InvalidInput(err.message) from None


def tags_out(tags: Sequence[Tag]) -> list[dict[str, str]] | None:
    """Tags as a response lists them; None (the element omitted) when there are none."""
    if not tags:
        return None
    return [{"key": t.key, "value": t.value} for t in tags]


def tag_resource(
    call: Call, kind: str, resource_id: str, tags: Sequence[Mapping[str, Any]]
) -> None:
    """Tag*: the request's tags merged into the resource's (a key given again takes the new
    value), within the per-resource quota."""
    merged = checked_tags(call, call.uow.tags.get(kind, resource_id), tags)
    call.uow.tags.replace(call.account_id, kind, resource_id, merged)


def untag_resource(call: Call, kind: str, resource_id: str, tag_keys: Sequence[str]) -> None:
    """Untag*: the tags with these keys (regardless of case) removed; a key the resource does
    not have is no error."""
    kept = remove_tags(call.uow.tags.get(kind, resource_id), tag_keys)
    call.uow.tags.replace(call.account_id, kind, resource_id, kept)


def list_resource_tags(
    call: Call, kind: str, resource_id: str, marker: str | None, max_items: int
) -> Mapping[str, object]:
    """List*Tags: one page of the resource's tags."""
    with valid_marker():
        page = call.uow.tags.page(kind, resource_id, marker=marker, max_items=max_items)
    return page_result(page, "tags", lambda t: {"key": t.key, "value": t.value})
