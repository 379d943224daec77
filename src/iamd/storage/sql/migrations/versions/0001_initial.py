"""Accounts, users, groups, managed and inline policies, access keys, tags.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from iamd.storage.sql.schema import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _account_fk() -> sa.Column[str]:
    return sa.Column(
        "account_id",
        sa.String(12),
        sa.ForeignKey("accounts.id", ondelete="CASCADE", name=None),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(12), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(32), primary_key=True),
        _account_fk(),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_lower", sa.String(64), nullable=False),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("permissions_boundary_arn", sa.String(2048)),
        sa.Column("password_last_used", UtcDateTime),
        sa.UniqueConstraint("account_id", "name_lower"),
    )
    op.create_table(
        "groups",
        sa.Column("id", sa.String(32), primary_key=True),
        _account_fk(),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("name_lower", sa.String(128), nullable=False),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("account_id", "name_lower"),
    )
    op.create_table(
        "group_members",
        sa.Column(
            "group_id",
            sa.String(32),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "user_id",
            sa.String(32),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("added_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_group_members_user_id", "group_members", ["user_id"])
    op.create_table(
        "managed_policies",
        sa.Column("arn", sa.String(2048), primary_key=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("account_id", sa.String(12), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("name_lower", sa.String(128), nullable=False),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("description", sa.String(1000)),
        sa.Column("default_version_id", sa.String(16), nullable=False),
        sa.Column("next_version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("account_id", "name_lower"),
    )
    op.create_table(
        "policy_versions",
        sa.Column(
            "policy_arn",
            sa.String(2048),
            sa.ForeignKey("managed_policies.arn", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version_id", sa.String(16), primary_key=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "policy_attachments",
        sa.Column("owner_kind", sa.String(8), primary_key=True),
        sa.Column("owner_id", sa.String(32), primary_key=True),
        sa.Column(
            "policy_arn",
            sa.String(2048),
            sa.ForeignKey("managed_policies.arn", ondelete="CASCADE"),
            primary_key=True,
        ),
        _account_fk(),
        sa.Column("attached_at", UtcDateTime, nullable=False),
    )
    op.create_index(
        "ix_policy_attachments_account_policy", "policy_attachments", ["account_id", "policy_arn"]
    )
    op.create_table(
        "inline_policies",
        sa.Column("owner_kind", sa.String(8), primary_key=True),
        sa.Column("owner_id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(128), primary_key=True),
        _account_fk(),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "access_keys",
        sa.Column("id", sa.String(128), primary_key=True),
        _account_fk(),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("secret", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("last_used_at", UtcDateTime),
        sa.Column("last_used_service", sa.String(64)),
        sa.Column("last_used_region", sa.String(32)),
    )
    op.create_index("ix_access_keys_account_user", "access_keys", ["account_id", "user_id"])
    op.create_table(
        "tags",
        sa.Column("resource_kind", sa.String(32), primary_key=True),
        sa.Column("resource_id", sa.String(2048), primary_key=True),
        sa.Column("key_lower", sa.String(128), primary_key=True),
        _account_fk(),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("value", sa.String(256), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "tags",
        "access_keys",
        "inline_policies",
        "policy_attachments",
        "policy_versions",
        "managed_policies",
        "group_members",
        "groups",
        "users",
        "accounts",
        "meta",
    ):
        op.drop_table(table)
