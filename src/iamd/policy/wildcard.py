"""The one wildcard matcher: ``*`` (any run of characters) and ``?`` (any one character).

Action names, Resource and NotResource, ``StringLike`` and ``ArnLike`` use these two
wildcards ("IAM JSON policy elements: Resource", "Condition operators"). No regular expression
is ever built from policy text: a pattern is split at its ``*`` into chunks; the first chunk
must start the text, the last must end it and each middle chunk is placed at its leftmost
occurrence after the previous one. Leftmost placement is optimal for ``*``-separated chunks,
so there is no backtracking: the work is linear in the text for chunks without ``?``
(``str.find``) and at most ``len(text) * len(chunk)`` for a chunk that contains ``?`` — the
approach of cedar's ``pattern.rs``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "QMARK",
    "STAR",
    "Piece",
    "Wildcard",
    "compile_pieces",
    "compile_wildcard",
    "wildcard_match",
]


class _Token:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


STAR = _Token("STAR")
QMARK = _Token("QMARK")
Piece = str | _Token

# A chunk is a plain string (no ``?``) or a tuple of characters where None stands for ``?``.
_Chunk = str | tuple[str | None, ...]

_EXACT, _ANY, _PREFIX, _SUFFIX, _GENERAL = range(5)


def _chunk_at(text: str, i: int, chunk: tuple[str | None, ...]) -> bool:
    """Whether ``chunk`` matches at ``i``; callers guarantee it fits inside ``text``."""
    return all(ch is None or text[i + j] == ch for j, ch in enumerate(chunk))


def _find(text: str, chunk: _Chunk, start: int, stop: int) -> int:
    """Leftmost index >= start where chunk fits entirely before ``stop``; -1 if none."""
    if isinstance(chunk, str):
        return text.find(chunk, start, stop)
    last = stop - len(chunk)
    i = start
    while i <= last:
        if _chunk_at(text, i, chunk):
            return i
        i += 1
    return -1


@dataclass(frozen=True, slots=True)
class Wildcard:
    """A compiled pattern. ``source`` is for display only."""

    source: str
    kind: int
    chunks: tuple[_Chunk, ...]

    @property
    def is_literal(self) -> bool:
        """True when the pattern has no wildcard and matches only itself."""
        return self.kind == _EXACT and isinstance(self.chunks[0], str)

    @property
    def is_any(self) -> bool:
        """True for ``*`` (or ``**``…): matches every string."""
        return self.kind == _ANY

    def matches(self, text: str) -> bool:
        kind = self.kind
        if kind == _ANY:
            return True
        chunks = self.chunks
        if kind == _EXACT:
            first = chunks[0]
            if isinstance(first, str):
                return text == first
            return len(text) == len(first) and _chunk_at(text, 0, first)
        if kind == _PREFIX:
            return text.startswith(chunks[0])  # type: ignore[arg-type]
        if kind == _SUFFIX:
            return text.endswith(chunks[0])  # type: ignore[arg-type]
        return self._general(text)

    def _general(self, text: str) -> bool:
        chunks = self.chunks
        head, tail = chunks[0], chunks[-1]
        pos = len(head)
        end = len(text) - len(tail)
        if end < pos:
            return False
        if head and not _prefix(text, head):
            return False
        if tail and not _chunk_fits(text, end, tail):
            return False
        for chunk in chunks[1:-1]:  # never empty: runs of '*' were collapsed
            found = _find(text, chunk, pos, end)
            if found < 0:
                return False
            pos = found + len(chunk)
        return True


def _prefix(text: str, chunk: _Chunk) -> bool:
    if isinstance(chunk, str):
        return text.startswith(chunk)
    return _chunk_at(text, 0, chunk)


def _chunk_fits(text: str, i: int, chunk: _Chunk) -> bool:
    if isinstance(chunk, str):
        return text.startswith(chunk, i)
    return _chunk_at(text, i, chunk)


def _finish(chars: list[str | None]) -> _Chunk:
    if None in chars:
        return tuple(chars)
    return "".join(c for c in chars if c is not None)


def compile_pieces(pieces: Iterable[Piece], source: str = "") -> Wildcard:
    """Compile a sequence of literal strings and STAR/QMARK tokens.

    Literal strings here carry no wildcard meaning: this is how a policy variable's value, or
    ``${*}``, enters a pattern as text.
    """
    chunks: list[_Chunk] = []
    current: list[str | None] = []
    for piece in pieces:
        if piece is STAR:
            chunks.append(_finish(current))
            current = []
        elif piece is QMARK:
            current.append(None)
        else:
            current.extend(piece)  # type: ignore[arg-type]
    chunks.append(_finish(current))
    if len(chunks) == 1:
        return Wildcard(source, _EXACT, tuple(chunks))
    # Collapse runs of '*' (empty middle chunks) — they mean the same as one '*'.
    middle = [c for c in chunks[1:-1] if c]
    chunks = [chunks[0], *middle, chunks[-1]]
    if len(chunks) == 2 and not chunks[0] and not chunks[1]:
        return Wildcard(source, _ANY, ("", ""))
    if len(chunks) == 2 and isinstance(chunks[0], str) and chunks[1] == "":
        return Wildcard(source, _PREFIX, (chunks[0],))
    if len(chunks) == 2 and chunks[0] == "" and isinstance(chunks[1], str):
        return Wildcard(source, _SUFFIX, (chunks[1],))
    return Wildcard(source, _GENERAL, tuple(chunks))


def pieces_of(text: str) -> list[Piece]:
    """Split policy text into literal runs and wildcard tokens."""
    pieces: list[Piece] = []
    start = 0
    for i, ch in enumerate(text):
        if ch == "*" or ch == "?":
            if i > start:
                pieces.append(text[start:i])
            pieces.append(STAR if ch == "*" else QMARK)
            start = i + 1
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def compile_wildcard(text: str) -> Wildcard:
    """Compile policy text in which ``*`` and ``?`` are wildcards."""
    return compile_pieces(pieces_of(text), text)


def wildcard_match(pattern: str, text: str) -> bool:
    """One-off match; compile once with :func:`compile_wildcard` when matching repeatedly."""
    return compile_wildcard(pattern).matches(text)
