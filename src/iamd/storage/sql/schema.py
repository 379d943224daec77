"""Tables (SQLAlchemy Core). The schema changes only through Alembic migrations
(``migrations/versions``); this module must always describe the newest revision, and a test
compares the two.

Names are unique regardless of case: each named entity keeps ``name_lower`` under a unique index
(STYLE 28). Every table that belongs to an account references it ``ON DELETE CASCADE`` so that
deleting an account removes everything in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["metadata"]


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps none of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError("UtcDateTime needs a timezone-aware datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"unexpected datetime value {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


naming = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=naming)


def _account_fk() -> Column[str]:
    return Column(
        "account_id",
        String(12),
        ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=False,
    )


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(12), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # Bumped by every write in the account; caches on every node compare against it.
    Column("version", BigInteger, nullable=False, default=0),
)

users = Table(
    "users",
    metadata,
    Column("id", String(32), primary_key=True),
    _account_fk(),
    Column("name", String(64), nullable=False),
    Column("name_lower", String(64), nullable=False),
    Column("path", String(512), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("permissions_boundary_arn", String(2048)),
    Column("password_last_used", UtcDateTime),
    UniqueConstraint("account_id", "name_lower"),
)

groups = Table(
    "groups",
    metadata,
    Column("id", String(32), primary_key=True),
    _account_fk(),
    Column("name", String(128), nullable=False),
    Column("name_lower", String(128), nullable=False),
    Column("path", String(512), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("account_id", "name_lower"),
)

group_members = Table(
    "group_members",
    metadata,
    Column("group_id", String(32), ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("added_at", UtcDateTime, nullable=False),
    Index("ix_group_members_user_id", "user_id"),
)

managed_policies = Table(
    "managed_policies",
    metadata,
    Column("arn", String(2048), primary_key=True),
    Column("id", String(32), nullable=False, unique=True),
    # 'aws' for AWS managed policies, else the owning account (no foreign key: see below).
    Column("account_id", String(12), nullable=False),
    Column("name", String(128), nullable=False),
    Column("name_lower", String(128), nullable=False),
    Column("path", String(512), nullable=False),
    Column("description", String(1000)),
    Column("default_version_id", String(16), nullable=False),
    Column("next_version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("account_id", "name_lower"),
)
# Customer managed policies go with their account: accounts' deletion removes them explicitly
# (AWS managed policies have account_id 'aws', which is no account row).

policy_versions = Table(
    "policy_versions",
    metadata,
    Column(
        "policy_arn",
        String(2048),
        ForeignKey("managed_policies.arn", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("version_id", String(16), primary_key=True),
    Column("document", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

policy_attachments = Table(
    "policy_attachments",
    metadata,
    Column("owner_kind", String(8), primary_key=True),
    Column("owner_id", String(32), primary_key=True),
    Column(
        "policy_arn",
        String(2048),
        ForeignKey("managed_policies.arn", ondelete="CASCADE"),
        primary_key=True,
    ),
    _account_fk(),
    Column("attached_at", UtcDateTime, nullable=False),
    Index("ix_policy_attachments_account_policy", "account_id", "policy_arn"),
)

inline_policies = Table(
    "inline_policies",
    metadata,
    Column("owner_kind", String(8), primary_key=True),
    Column("owner_id", String(32), primary_key=True),
    Column("name", String(128), primary_key=True),
    _account_fk(),
    Column("document", Text, nullable=False),
)

access_keys = Table(
    "access_keys",
    metadata,
    Column("id", String(128), primary_key=True),
    _account_fk(),
    # NULL: a key of the account's root user.
    Column("user_id", String(32), ForeignKey("users.id", ondelete="CASCADE")),
    Column("secret", LargeBinary, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime),
    Column("last_used_service", String(64)),
    Column("last_used_region", String(32)),
    Index("ix_access_keys_account_user", "account_id", "user_id"),
)

tags = Table(
    "tags",
    metadata,
    Column("resource_kind", String(32), primary_key=True),
    Column("resource_id", String(2048), primary_key=True),
    Column("key_lower", String(128), primary_key=True),
    _account_fk(),
    Column("key", String(128), nullable=False),
    Column("value", String(256), nullable=False),
    Column("position", Integer, nullable=False),
)
