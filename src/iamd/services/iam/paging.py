"""Marker / MaxItems / IsTruncated pagination as every IAM List operation answers it: pages the
store reads with a keyset (:func:`page_result`), and pages of lists held in memory — by the key
of the last item given (:func:`page_of_list`) or by offset (:func:`offset_page`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from iamd.errors import InvalidInput, ValidationError
from iamd.storage import InvalidMarker, Page

__all__ = [
    "DEFAULT_MAX_ITEMS",
    "offset_page",
    "page_fields",
    "page_of_list",
    "page_result",
    "valid_marker",
]

T = TypeVar("T")

DEFAULT_MAX_ITEMS = 100


@contextmanager
def valid_marker() -> Iterator[None]:
    """Answers a marker iamd did not issue as AWS answers it."""
    try:
        yield
    except InvalidMarker:
        raise ValidationError("Invalid Marker.") from None


def page_fields(page: Page[Any]) -> dict[str, object]:
    """IsTruncated, and the Marker of the next page when there is one."""
    out: dict[str, object] = {"is_truncated": page.is_truncated}
    if page.next_marker is not None:
        out["marker"] = page.next_marker
    return out


def page_result(page: Page[T], key: str, convert: Callable[[T], Any]) -> Mapping[str, object]:
    return {key: [convert(item) for item in page.items], **page_fields(page)}


def page_of_list(
    items: Sequence[T], key: Callable[[T], str], marker: str | None, max_items: int
) -> Page[T]:
    """One page of a short list held in memory, in its order; the marker is the ``key`` of the
    last item of the page before. A marker that is no item's key raises
    :class:`~iamd.storage.InvalidMarker`, as the store's keyset pages do."""
    start = 0
    if marker is not None:
        keys = [key(item) for item in items]
        if marker not in keys:
            raise InvalidMarker(marker)
        start = keys.index(marker) + 1
    chunk = tuple(items[start : start + max_items])
    more = start + max_items < len(items)
    return Page(chunk, key(chunk[-1]) if more else None)


def offset_page(items: Sequence[T], marker: str | None, max_items: int) -> Page[T]:
    """One page of results made for the request or kept as a snapshot (simulations, last
    accessed jobs); the marker is the offset of the page's first item. A marker that is not a
    number is InvalidInput ``Invalid Marker.``; one past the end gives an empty last page."""
    start = 0
    if marker is not None:
        if not marker.isdigit():
            raise InvalidInput("Invalid Marker.")
        start = int(marker)
    chunk = tuple(items[start : start + max_items])
    more = start + max_items < len(items)
    return Page(chunk, str(start + max_items) if more else None)
