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


# Fields compared first: service, account, resource, region, partition — the cheapest rejections.
_FIELD_ORDER = (2, 4, 5, 3, 1, 0)


@dataclass(frozen=True, slots=True)
class ResourcePattern:
    """One compiled Resource/NotResource value (or ArnLike condition value).

    ``checks`` holds the field tests that are not a bare ``*``, most selective first: a literal
    string compared with ``==`` or a compiled wildcard. ``dynamic`` holds the fields that contain
    policy variables, resolved per request.
    """

    source: str
    is_any: bool
    is_arn: bool
    checks: tuple[tuple[int, str | None, Wildcard | None], ...]
    dynamic: tuple[tuple[int, Template], ...]
    whole: _Field | None  # a pattern that is not an ARN: matched as one string
    variables: tuple[Variable, ...]

    def could_match(self, resource: str, fields: tuple[str, ...] | None) -> bool:
        """False when no request context can make this pattern match ``resource``: its static
        fields fail, or a field with variables has literal ends that ``resource`` lacks."""
        if self.is_any or self.whole is not None:
            return True
        if fields is None or not self.is_arn:
            return False
        for index, literal, wildcard in self.checks:
            if literal is not None:
                if fields[index] != literal:
                    return False
            elif not wildcard.matches(fields[index]):  # type: ignore[union-attr]
                return False
        for index, template in self.dynamic:
            head, tail = template.literal_ends()
            value = fields[index]
            if len(value) < len(head) + len(tail) or not (
                value.startswith(head) and value.endswith(tail)
            ):
                return False
        return True

    def matches(
        self, resource: str, fields: tuple[str, ...] | None, context: Mapping[str, tuple[str, ...]]
    ) -> bool:
        if self.is_any:
            return True
        if fields is None or not self.is_arn:
            if self.whole is None:
                return False
            pattern = self.whole.pattern(context)
            return pattern is not None and pattern.matches(resource)
        for index, literal, wildcard in self.checks:
            if literal is not None:
                if fields[index] != literal:
                    return False
            elif not wildcard.matches(fields[index]):  # type: ignore[union-attr]
                return False
        for index, template in self.dynamic:
            pattern = template.pattern_for(context)
            if pattern is None or not pattern.matches(fields[index]):
                return False
        return True


def compile_resource(text: str, variables: bool) -> ResourcePattern:
    """Compile a Resource value; ``variables`` is whether the policy language has them."""
    template = parse_template(text, variables)
    if text == "*":
        return ResourcePattern(text, True, False, (), (), None, ())
    whole = _make_field(list(template.parts))
    if not text.startswith("arn:"):
        return ResourcePattern(text, False, False, (), (), whole, template.variables)
    split = _split_fields(template)
    if len(split) < 6:
        if "*" not in text and "?" not in text:
            return ResourcePattern(text, False, False, (), (), whole, template.variables)
        split.extend(
            [["*"] for _ in range(6 - len(split))]
        )  # a short ARN with a wildcard: pad with '*'
    fields = [_make_field(parts) for parts in split]
    checks: list[tuple[int, str | None, Wildcard | None]] = []
    dynamic: list[tuple[int, Template]] = []
    for index in _FIELD_ORDER:
        spec = fields[index]
        if spec.template is not None:
            dynamic.append((index, spec.template))
        elif spec.static is not None and spec.static.is_literal:
            checks.append((index, str(spec.static.chunks[0]), None))
        elif spec.static is not None and not spec.static.is_any:
            checks.append((index, None, spec.static))
    return ResourcePattern(
        text, False, True, tuple(checks), tuple(dynamic), None, template.variables
    )
