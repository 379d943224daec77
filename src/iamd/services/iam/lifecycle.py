"""The refusals the life cycle of every IAM entity shares, in AWS's words: creating one beyond a
quota (LimitExceeded ``Cannot exceed quota for <Quota>: <limit>``, "IAM and AWS STS quotas",
reference_iam-quotas), renaming one to a name another holds (EntityAlreadyExists; names are
unique regardless of case), and deleting one while something is still attached to it
(DeleteConflict ``Cannot delete entity, must <do this> first.``)."""

from __future__ import annotations

from collections.abc import Callable

from iamd.errors import AwsError, DeleteConflict, LimitExceeded

__all__ = ["check_quota", "refuse_delete_while", "renamed"]


def check_quota(used: int, limit: int, quota: str) -> None:
    """LimitExceeded when ``used`` already reaches ``limit``: one more would exceed it."""
    if used >= limit:
        raise LimitExceeded(f"Cannot exceed quota for {quota}: {limit}")


def renamed(
    current: str,
    requested: str | None,
    holder: Callable[[str], object | None],
    already_exists: Callable[[str], AwsError],
) -> str:
    """The name an Update* operation leaves: ``current`` when no new name is given, else
    ``requested`` — refused with ``already_exists(requested)`` when ``holder`` finds another
    entity with it (a change of case only is no conflict)."""
    if requested is None:
        return current
    if requested.lower() != current.lower() and holder(requested) is not None:
        raise already_exists(requested)
    return requested


def refuse_delete_while(*blockers: tuple[bool, str]) -> None:
    """DeleteConflict for the first ``(blocked, what to do)`` pair that blocks, in the order
    given: AWS names one kind of attached thing at a time."""
    for blocked, what in blockers:
        if blocked:
            raise DeleteConflict(f"Cannot delete entity, must {what} first.")
