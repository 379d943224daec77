"""Condition operators, compiled once and evaluated against the request context.

"IAM JSON policy elements: Condition operators" (reference_policies_elements_condition_operators)
and "Multivalued context keys" (reference_policies_multi-value-conditions):

- Several keys in one operator block, and several blocks, are ANDed; several values for one key
  are ORed. A negated operator (``StringNotEquals``, ``NotIpAddress``, ``ArnNotLike``…) is the
  negation of its positive form over all values (NOR).
- A key that is not in the request context makes a positive operator false and a negated one
  true; ``…IfExists`` makes it true; ``Null`` tests presence.
- ``ForAllValues:`` is true when every request value matches (and when the key is absent or
  empty); ``ForAnyValue:`` when at least one does (false when absent). With a negated operator
  the negation applies to each request value.
- Key names are case-insensitive (the context is keyed by lower-cased names); values are
  case-sensitive unless the operator says IgnoreCase (``Bool`` compares true/false in any case).

The request context maps each lower-cased key to a tuple of strings; see ``iamd.policy.request``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from iamd.policy.resources import ResourcePattern, compile_resource, split_arn
from iamd.policy.variables import Template, parse_template

__all__ = [
    "OPERATORS",
    "CompiledCondition",
    "OperatorSpec",
    "compile_condition",
    "parse_date",
    "parse_operator",
]

Context = Mapping[str, tuple[str, ...]]
_Test = Callable[[str, Context], bool]  # does one request value match any policy value?

# base operator -> (family, negated)
OPERATORS: dict[str, tuple[str, bool]] = {
    "StringEquals": ("string", False),
    "StringNotEquals": ("string", True),
    "StringEqualsIgnoreCase": ("string_ic", False),
    "StringNotEqualsIgnoreCase": ("string_ic", True),
    "StringLike": ("string_like", False),
    "StringNotLike": ("string_like", True),
    "NumericEquals": ("num_eq", False),
    "NumericNotEquals": ("num_eq", True),
    "NumericLessThan": ("num_lt", False),
    "NumericLessThanEquals": ("num_le", False),
    "NumericGreaterThan": ("num_gt", False),
    "NumericGreaterThanEquals": ("num_ge", False),
    "DateEquals": ("date_eq", False),
    "DateNotEquals": ("date_eq", True),
    "DateLessThan": ("date_lt", False),
    "DateLessThanEquals": ("date_le", False),
    "DateGreaterThan": ("date_gt", False),
    "DateGreaterThanEquals": ("date_ge", False),
    "Bool": ("bool", False),
    "BinaryEquals": ("binary", False),
    "IpAddress": ("ip", False),
    "NotIpAddress": ("ip", True),
    "ArnEquals": ("arn", False),
    "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True),
    "ArnNotLike": ("arn", True),
    "Null": ("null", False),
}

SET_NONE, SET_ALL, SET_ANY = 0, 1, 2
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class OperatorSpec:
    """A condition operator name taken apart: ``ForAnyValue:StringLikeIfExists``."""

    name: str
    base: str
    family: str
    negated: bool
    set_op: int
    if_exists: bool


def parse_operator(name: str) -> OperatorSpec | None:
    """The operator's parts, or None when AWS does not know it."""
    rest, set_op = name, SET_NONE
    if rest.startswith("ForAllValues:"):
        rest, set_op = rest[len("ForAllValues:") :], SET_ALL
    elif rest.startswith("ForAnyValue:"):
        rest, set_op = rest[len("ForAnyValue:") :], SET_ANY
    if_exists = rest.endswith("IfExists")
    if if_exists:
        rest = rest[: -len("IfExists")]
    entry = OPERATORS.get(rest)
    if entry is None or (if_exists and rest == "Null"):
        return None
    family, negated = entry
    return OperatorSpec(name, rest, family, negated, set_op, if_exists)


def parse_date(text: str) -> float | None:
    """Epoch seconds of an ISO 8601 date/time or of an epoch-seconds string; None if neither.

    "Date condition operators": dates are ISO 8601 (``2020-01-01T00:00:00Z``, a date alone, an
    offset) or POSIX epoch seconds. A date/time without an offset is taken as UTC.
    """
    value = text.strip()
    if value.isdigit():
        number = int(value)
        return float(number) if number <= 9223372036854775807 else None
    value = value.upper()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def _number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


_PARSE_CACHE_LIMIT = 256


def _cached(parse: Callable[[str], _T]) -> Callable[[str], _T]:
    """A bounded memo of a pure parser, private to one compiled condition."""
    cache: dict[str, _T] = {}

    def parse_cached(text: str) -> _T:
        try:
            return cache[text]
        except KeyError:
            if len(cache) >= _PARSE_CACHE_LIMIT:
                cache.clear()
            result = cache[text] = parse(text)
            return result

    return parse_cached


def _compare_test(parse: Callable[[str], float | None], op: str, values: tuple[str, ...]) -> _Test:
    limits = tuple(x for x in (parse(v) for v in values) if x is not None)
    parse = _cached(parse)

    def test(value: str, _ctx: Context) -> bool:
        x = parse(value)
        if x is None:
            return False
        if op == "eq":
            return x in limits
        if op == "lt":
            return any(x < limit for limit in limits)
        if op == "le":
            return any(x <= limit for limit in limits)
        if op == "gt":
            return any(x > limit for limit in limits)
        return any(x >= limit for limit in limits)

    return test


def _templated(templates: tuple[Template, ...], match: Callable[[str, str], bool]) -> _Test:
    if len(templates) == 1 and len(templates[0].parts) == 1 and templates[0].variables:
        variable = templates[0].variables[0]  # the whole value is one variable: "${aws:username}"

        def single(value: str, ctx: Context) -> bool:
            found = ctx.get(variable.key)
            if found is not None and len(found) == 1:
                return match(found[0], value)
            return variable.default is not None and match(variable.default, value)

        return single

    def test(value: str, ctx: Context) -> bool:
        for template in templates:
            resolved = template.resolve_values(ctx)
            if resolved is not None and match(template.text(resolved), value):
                return True
        return False

    return test


def _string_test(family: str, templates: tuple[Template, ...]) -> _Test:
    static = all(t.is_static for t in templates)
    if family == "string":
        if static:
            exact = frozenset(t.text(()) for t in templates)
            return lambda value, _ctx: value in exact
        return _templated(templates, str.__eq__)
    if family == "string_ic":
        if static:
            folded = frozenset(t.text(()).lower() for t in templates)
            return lambda value, _ctx: value.lower() in folded
        return _templated(templates, lambda policy, value: policy.lower() == value.lower())
    if static:
        patterns = tuple(t.pattern(()) for t in templates)
        return lambda value, _ctx: any(p.matches(value) for p in patterns)

    def like(value: str, ctx: Context) -> bool:
        for template in templates:
            pattern = template.pattern_for(ctx)
            if pattern is not None and pattern.matches(value):
                return True
        return False

    return like


def _ip_test(values: tuple[str, ...]) -> _Test:
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            continue

    @_cached
    def address_of(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
        try:
            return ipaddress.ip_address(text.strip())
        except ValueError:
            return None

    def test(value: str, _ctx: Context) -> bool:
        address = address_of(value)
        return address is not None and any(address in network for network in networks)

    return test


def _arn_test(patterns: tuple[ResourcePattern, ...]) -> _Test:
    def test(value: str, ctx: Context) -> bool:
        fields = split_arn(value)
        return any(p.matches(value, fields, ctx) for p in patterns)

    return test


def _build_test(family: str, values: tuple[str, ...], variables: bool) -> _Test:
    if family.startswith("string"):
        return _string_test(family, tuple(parse_template(v, variables) for v in values))
    if family.startswith("num_"):
        return _compare_test(_number, family[4:], values)
    if family.startswith("date_"):
        return _compare_test(parse_date, family[5:], values)
    if family == "bool":
        truth = frozenset(v.lower() for v in values)
        return lambda value, _ctx: value.lower() in truth
    if family == "binary":
        exact = frozenset(values)
        return lambda value, _ctx: value in exact
    if family == "ip":
        return _ip_test(values)
    if family == "arn":
        return _arn_test(tuple(compile_resource(v, variables) for v in values))
    null_wants = frozenset(v.lower() for v in values)  # family == "null"
    return lambda value, _ctx: value in null_wants


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    """One operator/key pair of a Condition block, ready to evaluate."""

    operator: str
    key: str  # as written in the policy, for MissingContextValues
    key_lower: str
    negated: bool
    set_op: int
    if_exists: bool
    is_null: bool
    test: _Test

    def holds(self, ctx: Context) -> bool:
        """Whether this condition is true for the request context ``ctx``."""
        values = ctx.get(self.key_lower)
        if self.is_null:
            return self.test("false" if values else "true", ctx)
        if not values:
            if self.if_exists or self.set_op == SET_ALL:
                return True
            if self.set_op == SET_ANY:
                return False
            return self.negated
        test = self.test
        if self.set_op == SET_NONE:
            for value in values:
                if test(value, ctx):
                    return not self.negated
            return self.negated
        if self.set_op == SET_ALL:
            return all(test(v, ctx) != self.negated for v in values)
        return any(test(v, ctx) != self.negated for v in values)


def compile_condition(
    operator: str, key: str, values: tuple[str, ...], variables: bool
) -> CompiledCondition:
    """Compile one condition; the operator must have been validated by :func:`parse_operator`."""
    spec = parse_operator(operator)
    if spec is None:
        raise ValueError(f"unknown condition operator {operator}")
    test = _build_test(spec.family, values, variables)
    return CompiledCondition(
        operator,
        key,
        key.lower(),
        spec.negated,
        spec.set_op,
        spec.if_exists,
        spec.family == "null",
        test,
    )
