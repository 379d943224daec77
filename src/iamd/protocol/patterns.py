"""The ``pattern`` constraint of botocore's shapes, compiled to Python regular expressions.

The IAM and STS models carry Java regular expressions (the services validate with
``java.util.regex``): ``[\\w+=,.@-]+``, ``(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)``,
``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*``. The AWS services match a value against the whole pattern
(``Matcher.matches``, not ``find``): IAM refuses ``/service-role/x`` at ``roleName`` whose pattern
is ``[\\w+=,.@-]+``, though the pattern occurs inside it.

Translation to Python ``re``, whose syntax is otherwise the same for these patterns:

- ``\\w``, ``\\d`` and ``\\s`` are ASCII in Java unless asked otherwise: compile with ``re.ASCII``;
- ``\\uXXXX`` is exactly four hex digits in both (so ``\\u10000`` is U+1000 then ``0`` in both);
- ``\\p{L}``, ``\\p{N}``, ``\\p{Z}`` (Unicode general categories), which Python ``re`` lacks, become
  explicit character ranges built once from :mod:`unicodedata`.

The patterns are trusted model text, not user input; each is compiled once and cached.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

__all__ = ["compile_pattern"]

_CATEGORY = re.compile(r"\\p\{([A-Z][a-z]?)\}")


@functools.cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a model ``pattern`` (Java syntax) to a Python regex to use with ``fullmatch``."""
    return re.compile(_translate(pattern), re.ASCII)


def _translate(pattern: str) -> str:
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            match = _CATEGORY.match(pattern, i)
            if match is not None:
                ranges = _category_ranges(match.group(1))
                out.append(ranges if in_class else f"[{ranges}]")
                i = match.end()
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


@functools.cache
def _category_ranges(category: str) -> str:
    """The code points of a Unicode general category (``L`` or ``Lu``) as class ranges."""
    spans = sorted(
        span for name, spans in _categories().items() if name.startswith(category) for span in spans
    )
    if not spans:
        raise ValueError(f"unknown Unicode category in model pattern: \\p{{{category}}}")
    merged: list[tuple[int, int]] = []
    for first, last in spans:
        if merged and first == merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return "".join(_range(first, last) for first, last in merged)


@functools.cache
def _categories() -> dict[str, list[tuple[int, int]]]:
    """Every code point's general category, as runs: one pass over Unicode (about 0.3 s)."""
    runs: dict[str, list[tuple[int, int]]] = {}
    current = unicodedata.category("\0")
    start = 0
    for code in range(1, sys.maxunicode + 2):
        category = unicodedata.category(chr(code)) if code <= sys.maxunicode else ""
        if category != current:
            runs.setdefault(current, []).append((start, code - 1))
            current, start = category, code
    return runs


def _range(first: int, last: int) -> str:
    if first == last:
        return _escape(first)
    return f"{_escape(first)}-{_escape(last)}"


def _escape(code: int) -> str:
    return f"\\U{code:08x}"
