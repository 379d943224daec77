"""Who makes a request ("AWS JSON policy elements: Principal",
reference_policies_elements_principal; "IAM identifiers", reference_identifiers)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = ["Principal", "PrincipalType"]


class PrincipalType(enum.Enum):
    """The value of ``aws:PrincipalType`` ("AWS global condition context keys")."""

    ROOT = "Account"
    USER = "User"
    ASSUMED_ROLE = "AssumedRole"
    FEDERATED_USER = "FederatedUser"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller.

    ``arn`` is what AWS reports (GetCallerIdentity's Arn): ``arn:aws:iam::ID:root``,
    ``arn:aws:iam::ID:user/path/name``, ``arn:aws:sts::ID:assumed-role/role/session``.
    ``user_id`` is ``aws:userid``: the account id for root, ``AIDA…`` for a user,
    ``AROA…:session`` for a role session. ``entity_id`` is the IAM entity the policies come from
    (the user's or role's unique id), None for root.
    """

    type: PrincipalType
    account_id: str
    arn: str
    user_id: str
    access_key_id: str
    name: str | None = None
    entity_id: str | None = None
    path: str = "/"
    session: bool = False
    attributes: tuple[tuple[str, str], ...] = field(default=())

    @property
    def is_root(self) -> bool:
        return self.type is PrincipalType.ROOT
