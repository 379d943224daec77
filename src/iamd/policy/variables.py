"""Policy variables: ``${aws:username}``, ``${aws:PrincipalTag/team, 'none'}``, ``${*}`` …

"IAM policy elements: Variables and tags" (reference_policies_variables). A variable names
any request-context key; its value replaces it as literal text. ``${*}``, ``${?}`` and ``${$}``
stand for the literal characters. A default value follows the key after a comma, in single
quotes. A variable whose key has no value (absent, or several values) has no value; a
Resource or condition value that contains one then matches nothing ("Policy variables with no
value"). Variables exist only under ``"Version": "2012-10-17"``; elsewhere the text is literal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from iamd.policy.wildcard import Piece, Wildcard, compile_pieces, pieces_of

__all__ = ["Part", "Template", "Variable", "parse_template"]

_CACHE_LIMIT = 256
_SPECIAL = {"*": "*", "?": "?", "$": "$"}


@dataclass(frozen=True, slots=True)
class Variable:
    """``${key}`` or ``${key, 'default'}``. ``key`` is lower-cased, as context keys are."""

    key: str
    default: str | None


# A template is a sequence of: policy text (wildcards meaningful), escaped literal text, or a
# variable. Escaped literals are wrapped in a 1-tuple to tell them from policy text.
Part = str | tuple[str] | Variable


@dataclass(frozen=True, slots=True)
class Template:
    """A string from a policy, split into text and variables."""

    source: str
    parts: tuple[Part, ...]
    _cache: dict[tuple[str, ...], Wildcard] = field(default_factory=dict, compare=False, repr=False)
    _ends_memo: list[tuple[str, str]] = field(default_factory=list, compare=False, repr=False)

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(p for p in self.parts if isinstance(p, Variable))

    @property
    def is_static(self) -> bool:
        return not self.variables

    def literal_ends(self) -> tuple[str, str]:
        """The literal text before the first and after the last variable or wildcard."""
        if not self._ends_memo:
            self._ends_memo.append(self._ends())
        return self._ends_memo[0]

    def _ends(self) -> tuple[str, str]:
        head: list[str] = []
        for part in self.parts:
            if isinstance(part, tuple):
                head.append(part[0])
            elif isinstance(part, str):
                cut = min((i for i in (part.find("*"), part.find("?")) if i >= 0), default=-1)
                head.append(part if cut < 0 else part[:cut])
                if cut >= 0:
                    break
            else:
                break
        tail: list[str] = []
        for part in reversed(self.parts):
            if isinstance(part, tuple):
                tail.append(part[0])
            elif isinstance(part, str):
                cut = max(part.rfind("*"), part.rfind("?"))
                tail.append(part if cut < 0 else part[cut + 1 :])
                if cut >= 0:
                    break
            else:
                break
        return "".join(head), "".join(reversed(tail))

    def resolve_values(self, context: Mapping[str, tuple[str, ...]]) -> tuple[str, ...] | None:
        """The value of each variable in order, or None if one has no value."""
        values: list[str] = []
        for part in self.parts:
            if isinstance(part, Variable):
                found = context.get(part.key)
                if found is not None and len(found) == 1:
                    values.append(found[0])
                elif part.default is not None:
                    values.append(part.default)
                else:
                    return None
        return tuple(values)

    def text(self, values: tuple[str, ...]) -> str:
        """The literal string with variables replaced (no wildcard meaning)."""
        out: list[str] = []
        it = iter(values)
        for part in self.parts:
            if isinstance(part, Variable):
                out.append(next(it))
            elif isinstance(part, tuple):
                out.append(part[0])
            else:
                out.append(part)
        return "".join(out)

    def pattern(self, values: tuple[str, ...]) -> Wildcard:
        """The wildcard pattern with variables replaced by literal text."""
        pieces: list[Piece] = []
        it = iter(values)
        for part in self.parts:
            if isinstance(part, Variable):
                pieces.append(next(it))
            elif isinstance(part, tuple):
                pieces.append(part[0])
            else:
                pieces.extend(pieces_of(part))
        return compile_pieces(pieces, self.source)

    def pattern_for(self, context: Mapping[str, tuple[str, ...]]) -> Wildcard | None:
        """The pattern for this request, or None when a variable has no value (cached)."""
        values = self.resolve_values(context)
        if values is None:
            return None
        cached = self._cache.get(values)
        if cached is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            cached = self.pattern(values)
            self._cache[values] = cached
        return cached


def _parse_variable(inner: str) -> Part | None:
    if inner in _SPECIAL:
        return (_SPECIAL[inner],)
    key, comma, rest = inner.partition(",")
    key = key.strip()
    if not key:
        return None
    if not comma:
        return Variable(key.lower(), None)
    rest = rest.strip()
    if len(rest) >= 2 and rest[0] == "'" and rest[-1] == "'":
        return Variable(key.lower(), rest[1:-1])
    return None


def parse_template(text: str, variables: bool) -> Template:
    """Split ``text``; with ``variables`` False (older policy language) it is all policy text."""
    if not variables or "${" not in text:
        return Template(text, (text,) if text else ())
    parts: list[Part] = []
    i = 0
    literal_start = 0
    while True:
        start = text.find("${", i)
        if start < 0:
            break
        end = text.find("}", start + 2)
        if end < 0:
            break
        parsed = _parse_variable(text[start + 2 : end])
        if parsed is None:
            i = start + 2
            continue
        if start > literal_start:
            parts.append(text[literal_start:start])
        parts.append(parsed)
        i = literal_start = end + 1
    if literal_start < len(text):
        parts.append(text[literal_start:])
    return Template(text, tuple(parts))
