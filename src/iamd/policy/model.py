"""The parsed form of a policy document.

"IAM JSON policy elements reference" and "Grammar of the IAM JSON policy language" in the IAM
User Guide (reference_policies_elements, reference_policies_grammar). Every element that AWS
accepts as a string or a list is normalised here to a tuple; evaluation never re-checks shapes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "Condition",
    "Effect",
    "PolicyDocument",
    "PolicyKind",
    "Position",
    "PrincipalElement",
    "Statement",
]


class Effect(enum.Enum):
    """IAM JSON policy elements: Effect."""

    ALLOW = "Allow"
    DENY = "Deny"


class PolicyKind(enum.Enum):
    """Which kind of policy a document is validated as.

    - ``IDENTITY``: an inline identity-based policy (user, group or role). ``Version`` may be
      ``2012-10-17``, ``2008-10-17`` or absent; no ``Principal``.
    - ``MANAGED``: a managed policy or a permissions boundary (CreatePolicy,
      CreatePolicyVersion). As IDENTITY, but AWS requires ``"Version": "2012-10-17"``
      ("Policy document must be version 2012-10-17 or greater.").
    - ``RESOURCE``: a resource-based policy; ``Principal`` or ``NotPrincipal`` required.
    - ``TRUST``: a role trust policy; a resource-based policy without ``Resource`` whose
      actions are limited to the ``sts:`` actions a trust policy may grant.
    - ``SESSION``: a session policy passed to AssumeRole* or GetFederationToken.
    """

    IDENTITY = "identity"
    MANAGED = "managed"
    RESOURCE = "resource"
    TRUST = "trust"
    SESSION = "session"


@dataclass(frozen=True, slots=True)
class Position:
    """A place in the policy text, 1-based, as the simulator's StartPosition/EndPosition."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class PrincipalElement:
    """One ``Principal`` or ``NotPrincipal`` element (reference_policies_elements_principal).

    ``wildcard`` is ``"Principal": "*"`` (which AWS treats as ``{"AWS": "*"}``). The other
    fields hold the values under each key, in document order.
    """

    wildcard: bool = False
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical_user: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Condition:
    """One ``"Operator": {"key": values}`` entry of a Condition block.

    ``values`` are strings: JSON numbers and booleans are kept as their JSON text
    (``10``, ``true``), as AWS compares them.
    """

    operator: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement. ``index`` is 0-based in document order.

    Exactly one of ``actions``/``not_actions`` is set (or neither, which validation refuses);
    the same for ``resources``/``not_resources`` (both may be absent in a trust policy).
    """

    index: int
    sid: str | None
    effect: Effect
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    principal: PrincipalElement | None
    not_principal: PrincipalElement | None
    conditions: tuple[Condition, ...]
    start: Position
    end: Position


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """A validated policy document and the text it came from."""

    kind: PolicyKind
    version: str | None
    id: str | None
    statements: tuple[Statement, ...]
    text: str

    @property
    def supports_variables(self) -> bool:
        """Policy variables exist only in the 2012-10-17 language (reference_policies_variables)."""
        return self.version == "2012-10-17"
