"""Where each statement object sits in the policy text.

Python's ``json`` module reports no positions, so this scanner walks text that ``json.loads``
has already accepted and returns the (start, end) offsets of the statement objects: the
elements of the top-level ``Statement`` array, or the ``Statement`` object itself. It is
iterative and linear in the length of the text. The simulator reports these as
StartPosition/EndPosition (SimulatePrincipalPolicy, "Statement" data type).
"""

from __future__ import annotations

import bisect
import json.decoder

from iamd.policy.model import Position

_WS = " \t\n\r"


def _skip_ws(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in _WS:
        i += 1
    return i


def _skip_string(text: str, i: int) -> tuple[str, int]:
    # text[i] == '"'; scanstring returns the decoded value and the index after the quote.
    value, end = json.decoder.scanstring(text, i + 1, True)  # type: ignore[attr-defined]
    return str(value), int(end)


def _skip_value(text: str, i: int) -> int:
    """Index just after the JSON value that starts at ``i`` (no recursion)."""
    ch = text[i]
    if ch == '"':
        return _skip_string(text, i)[1]
    if ch not in "{[":
        n = len(text)
        while i < n and text[i] not in ",}] \t\n\r":
            i += 1
        return i
    depth = 0
    while True:  # the text is valid JSON: the value closes
        ch = text[i]
        if ch == '"':
            i = _skip_string(text, i)[1]
            continue
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def _top_member(text: str, name: str) -> int | None:
    """Offset of the value of the last top-level member ``name`` (last wins, as json.loads)."""
    i = _skip_ws(text, 0)
    if i >= len(text) or text[i] != "{":
        return None
    i += 1
    found: int | None = None
    while True:
        i = _skip_ws(text, i)
        if text[i] == "}":
            return found
        if text[i] == ",":
            i = _skip_ws(text, i + 1)
        key, i = _skip_string(text, i)
        i = _skip_ws(text, i) + 1  # the colon
        i = _skip_ws(text, i)
        if key == name:
            found = i
        i = _skip_value(text, i)


def statement_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each statement object; ``end`` is the closing brace."""
    start = _top_member(text, "Statement")
    if start is None:
        return []
    if text[start] == "{":
        return [(start, _skip_value(text, start) - 1)]
    spans: list[tuple[int, int]] = []
    i = start + 1
    while True:
        i = _skip_ws(text, i)
        if text[i] == "]":
            return spans
        if text[i] == ",":
            i = _skip_ws(text, i + 1)
        end = _skip_value(text, i)
        spans.append((i, end - 1))
        i = end


class LineIndex:
    """Turns offsets into 1-based (line, column) positions."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        self._starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self._starts, offset)
        return Position(line, offset - self._starts[line - 1] + 1)
