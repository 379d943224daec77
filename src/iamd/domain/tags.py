"""Tags on IAM resources ("Tagging IAM resources", id_tags): at most 50 per resource, keys unique
regardless of case, the ``aws:`` prefix reserved for AWS."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Tag", "TagRuleViolation", "merge_tags", "remove_tags"]


class TagRuleViolation(ValueError):
    """A tag request breaks a tagging rule; ``kind`` is ``"duplicate"``, ``"reserved"`` or
    ``"limit"``, so the service can answer AWS's error for it."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True, slots=True)
class Tag:
    key: str
    value: str


def _check_new(tags: Iterable[Tag]) -> dict[str, Tag]:
    seen: dict[str, Tag] = {}
    for tag in tags:
        lowered = tag.key.lower()
        if lowered.startswith("aws:"):
            raise TagRuleViolation(
                "reserved", 'User-defined tags cannot begin with the reserved prefix "aws:".'
            )
        if lowered in seen:
            raise TagRuleViolation(
                "duplicate",
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            )
        seen[lowered] = tag
    return seen


def merge_tags(existing: Iterable[Tag], new: Iterable[Tag], limit: int) -> tuple[Tag, ...]:
    """Existing tags updated with ``new``: a key that matches an existing one regardless of case
    replaces its value (keeping the new spelling, as AWS does); more than ``limit`` is refused."""
    incoming = _check_new(new)
    merged: dict[str, Tag] = {t.key.lower(): t for t in existing}
    merged.update(incoming)
    if len(merged) > limit:
        raise TagRuleViolation(
            "limit", f"The number of tags has reached the maximum limit of {limit}."
        )
    return tuple(merged.values())


def remove_tags(existing: Iterable[Tag], keys: Iterable[str]) -> tuple[Tag, ...]:
    gone = {k.lower() for k in keys}
    return tuple(t for t in existing if t.key.lower() not in gone)


def as_mapping(tags: Iterable[Tag]) -> Mapping[str, str]:
    return {t.key: t.value for t in tags}
