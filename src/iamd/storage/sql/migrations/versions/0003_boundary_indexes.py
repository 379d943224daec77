"""Indexes on users' and roles' permissions boundary, so that ListPolicies counts a policy's
boundary uses per row without scanning the account (docs/benchmarks.md, lists at 100,000).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_users_account_boundary", "users", ["account_id", "permissions_boundary_arn"]
    )
    op.create_index(
        "ix_roles_account_boundary", "roles", ["account_id", "permissions_boundary_arn"]
    )


def downgrade() -> None:
    op.drop_index("ix_roles_account_boundary", table_name="roles")
    op.drop_index("ix_users_account_boundary", table_name="users")
