"""Roles keep the unique id of each user and role their trust policy names
(``roles.trust_principal_ids``, JSON ``{"<arn>": "<unique id>"}``), so that a principal deleted
and recreated with the same name is no longer trusted ("IAM JSON policy elements: Principal",
reference_policies_elements_principal; docs/decisions.md).

Roles stored before this revision are filled in from the users and roles that hold those ARNs
now: the best record there is of whom their trust policies meant.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_roles = sa.table(
    "roles",
    sa.column("id", sa.String()),
    sa.column("account_id", sa.String()),
    sa.column("name", sa.String()),
    sa.column("name_lower", sa.String()),
    sa.column("path", sa.String()),
    sa.column("assume_role_policy", sa.Text()),
    sa.column("trust_principal_ids", sa.Text()),
)
_users = sa.table(
    "users",
    sa.column("id", sa.String()),
    sa.column("account_id", sa.String()),
    sa.column("name", sa.String()),
    sa.column("name_lower", sa.String()),
    sa.column("path", sa.String()),
)


def upgrade() -> None:
    op.add_column("roles", sa.Column("trust_principal_ids", sa.Text(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.select(_roles.c.id, _roles.c.assume_role_policy)).all()
    for role_id, text in rows:
        found: dict[str, str] = {}
        for arn in _aws_principals(text):
            unique_id = _entity_id(conn, arn)
            if unique_id is not None:
                found[arn] = unique_id
        if found:
            conn.execute(
                sa.update(_roles)
                .where(_roles.c.id == role_id)
                .values(trust_principal_ids=json.dumps(found, separators=(",", ":")))
            )


def downgrade() -> None:
    op.drop_column("roles", "trust_principal_ids")


def _aws_principals(text: str) -> list[str]:
    """The ``AWS`` values of the Principal and NotPrincipal elements of a stored policy."""
    try:
        body = json.loads(text)["Statement"]
    except (ValueError, TypeError, KeyError):
        return []
    found: list[str] = []
    for statement in [body] if isinstance(body, dict) else body:
        for name in ("Principal", "NotPrincipal"):
            element = statement.get(name) if isinstance(statement, dict) else None
            values = element.get("AWS") if isinstance(element, dict) else None
            found.extend([values] if isinstance(values, str) else values or [])
    return found


def _entity_id(conn: sa.Connection, arn: str) -> str | None:
    """The unique id of the user or role that holds ``arn`` now (path and name exactly)."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[:4] != ["arn", "aws", "iam", ""]:
        return None
    kind, _, rest = parts[5].partition("/")
    table = {"user": _users, "role": _roles}.get(kind)
    if table is None or not rest:
        return None
    name = rest.rsplit("/", 1)[-1]
    path = "/" + rest[: len(rest) - len(name)]
    row = conn.execute(
        sa.select(table.c.id, table.c.name, table.c.path).where(
            table.c.account_id == parts[4], table.c.name_lower == name.lower()
        )
    ).first()
    if row is None or row.name != name or row.path != path:
        return None
    return str(row.id)
