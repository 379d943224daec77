"""Resource and NotResource matching, ARN-aware and case-sensitive.

"IAM JSON policy elements: Resource" (reference_policies_elements_resource): an ARN is
``arn:partition:service:region:account-id:resource``; wildcards may appear in any field, but
a wildcard matches within its own field: ``arn:aws:iam::*:user/x`` does not reach into the
region or service. The last field (the resource) may itself contain colons and a wildcard there
spans them. ``"*"`` alone matches every resource, including the ``"*"`` of actions that have
no resource type. The same field-wise rule serves ``ArnEquals``/``ArnLike`` conditions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from iamd.policy.variables import Part, Template, Variable, parse_template
from iamd.policy.wildcard import Wildcard, compile_wildcard

__all__ = ["ArnFields", "ResourcePattern", "compile_resource", "split_arn"]

ArnFields = tuple[str, str]  # (the five head fields joined by ':', the resource field)


def split_arn(text: str) -> tuple[str, ...] | None:
    """The six fields of an ARN, or None when ``text`` is not one."""
    if not text.startswith("arn:"):
        return None
    fields = text.split(":", 5)
    if len(fields) != 6:
        return None
    return tuple(fields)


def _split_fields(template: Template) -> list[list[Part]]:
    """Split a template's parts into ARN fields at the first five literal colons."""
    fields: list[list[Part]] = [[]]
    for part in template.parts:
        if not isinstance(part, str) or len(fields) == 6:
            fields[-1].append(part)
            continue
        pieces = part.split(":", 6 - len(fields))
        for n, piece in enumerate(pieces):
            if n:
                fields.append([])
            if piece:
                fields[-1].append(piece)
    return fields


@dataclass(frozen=True, slots=True)
class _Field:
    static: Wildcard | None
    template: Template | None

    def pattern(self, context: Mapping[str, tuple[str, ...]]) -> Wildcard | None:
        if self.static is not None:
            return self.static
        assert self.template is not None
        return self.template.pattern_for(context)


def _make_field(parts: list[Part]) -> _Field:
    display = "".join(
        p if isinstance(p, str) else p[0] for p in parts if not isinstance(p, Variable)
    )
    template = Template(display, tuple(parts))
    if not template.is_static:
        return _Field(None, template)
    if any(isinstance(p, tuple) for p in parts):
        return _Field(template.pattern(()), None)
    return _Field(compile_wildcard(display), None)


@dataclass(frozen=True, slots=True)
class ResourcePattern:
    """One compiled Resource/NotResource value (or ArnLike condition value)."""

    source: str
    is_any: bool
    head_literal: str | None  # the five head fields when they hold no wildcard or variable
    head: tuple[_Field, ...]  # otherwise matched field by field
    tail: _Field | None
    whole: _Field | None  # a pattern that is not an ARN: matched as one string
    variables: tuple[Variable, ...]

    def matches(
        self, resource: str, fields: tuple[str, ...] | None, context: Mapping[str, tuple[str, ...]]
    ) -> bool:
        if self.is_any:
            return True
        if fields is None or self.tail is None:
            if self.whole is None:
                return False
            pattern = self.whole.pattern(context)
            return pattern is not None and pattern.matches(resource)
        if self.head_literal is not None:
            if resource[: len(resource) - len(fields[5]) - 1] != self.head_literal:
                return False
        else:
            for spec, value in zip(self.head, fields, strict=False):
                pattern = spec.pattern(context)
                if pattern is None or not pattern.matches(value):
                    return False
        tail = self.tail.pattern(context)
        return tail is not None and tail.matches(fields[5])


def compile_resource(text: str, variables: bool) -> ResourcePattern:
    """Compile a Resource value; ``variables`` is whether the policy language has them."""
    template = parse_template(text, variables)
    if text == "*":
        return ResourcePattern(text, True, None, (), None, None, ())
    whole = _make_field(list(template.parts))
    if not text.startswith("arn:"):
        return ResourcePattern(text, False, None, (), None, whole, template.variables)
    split = _split_fields(template)
    if len(split) < 6:
        if "*" not in text and "?" not in text:
            return ResourcePattern(text, False, None, (), None, whole, template.variables)
        split.extend(
            [["*"] for _ in range(6 - len(split))]
        )  # a short ARN with a wildcard: pad with '*'
    fields = [_make_field(parts) for parts in split]
    head = tuple(fields[:5])
    head_literal: str | None = None
    if all(f.static is not None and f.static.is_literal for f in head):
        head_literal = ":".join(str(f.static.chunks[0]) for f in head if f.static is not None)
    return ResourcePattern(text, False, head_literal, head, fields[5], None, template.variables)
