"""Tags given on create and tag operations ("Tagging IAM resources", id_tags), and how they
appear in responses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from iamd.domain import Tag, TagRuleViolation, merge_tags
from iamd.errors import InvalidInput, LimitExceeded
from iamd.services.context import Call

__all__ = ["checked_tags", "tags_out"]


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
