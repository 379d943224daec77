"""Marker / MaxItems / IsTruncated pagination as every IAM List operation answers it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from iamd.errors import ValidationError
from iamd.storage import InvalidMarker, Page

__all__ = ["DEFAULT_MAX_ITEMS", "page_result", "valid_marker"]

T = TypeVar("T")

DEFAULT_MAX_ITEMS = 100


@contextmanager
def valid_marker() -> Iterator[None]:
    """Answers a marker iamd did not issue as AWS answers it."""
    try:
        yield
    except InvalidMarker:
        raise ValidationError("Invalid Marker.") from None


def page_result(page: Page[T], key: str, convert: Callable[[T], Any]) -> Mapping[str, object]:
    out: dict[str, object] = {key: [convert(item) for item in page.items]}
    out["is_truncated"] = page.is_truncated
    if page.next_marker is not None:
        out["marker"] = page.next_marker
    return out
