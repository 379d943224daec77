"""Roles, instance profiles, login profiles and password policy, MFA devices, identity providers,
certificates, SSH keys, service-specific credentials, account aliases and settings, reports,
last-access records.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Generated with Alembic's autogenerate from schema.py at this revision, then frozen.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from iamd.storage.sql.schema import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "account_aliases",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("alias", sa.String(length=63), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_aliases_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_aliases")),
        sa.UniqueConstraint("alias", name=op.f("uq_account_aliases_alias")),
    )
    op.create_table(
        "account_settings",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_settings_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "key", name=op.f("pk_account_settings")),
    )
    op.create_table(
        "instance_profiles",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("name_lower", sa.String(length=128), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_instance_profiles_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instance_profiles")),
        sa.UniqueConstraint(
            "account_id", "name_lower", name=op.f("uq_instance_profiles_account_id_name_lower")
        ),
    )
    op.create_table(
        "last_access",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("entity_arn", sa.String(length=2048), nullable=False),
        sa.Column("service_namespace", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=128), nullable=False),
        sa.Column("last_accessed_at", UtcDateTime(), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_last_access_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "entity_arn", "service_namespace", "action", name=op.f("pk_last_access")
        ),
    )
    op.create_index(
        "ix_last_access_account_service",
        "last_access",
        ["account_id", "service_namespace"],
        unique=False,
    )
    op.create_table(
        "oidc_providers",
        sa.Column("arn", sa.String(length=2048), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("url", sa.String(length=255), nullable=False),
        sa.Column("client_ids", sa.Text(), nullable=False),
        sa.Column("thumbprints", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_oidc_providers_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("arn", name=op.f("pk_oidc_providers")),
    )
    op.create_table(
        "password_policies",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("minimum_password_length", sa.Integer(), nullable=False),
        sa.Column("require_symbols", sa.Boolean(), nullable=False),
        sa.Column("require_numbers", sa.Boolean(), nullable=False),
        sa.Column("require_uppercase_characters", sa.Boolean(), nullable=False),
        sa.Column("require_lowercase_characters", sa.Boolean(), nullable=False),
        sa.Column("allow_users_to_change_password", sa.Boolean(), nullable=False),
        sa.Column("max_password_age", sa.Integer(), nullable=True),
        sa.Column("password_reuse_prevention", sa.Integer(), nullable=True),
        sa.Column("hard_expiry", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_password_policies_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_password_policies")),
    )
    op.create_table(
        "reports",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("completed_at", UtcDateTime(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("parameters", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_reports_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "kind", "id", name=op.f("pk_reports")),
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("name_lower", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("assume_role_policy", sa.Text(), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("max_session_duration", sa.Integer(), nullable=False),
        sa.Column("permissions_boundary_arn", sa.String(length=2048), nullable=True),
        sa.Column("last_used_at", UtcDateTime(), nullable=True),
        sa.Column("last_used_region", sa.String(length=32), nullable=True),
        sa.Column("service_linked_to", sa.String(length=256), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_roles_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint(
            "account_id", "name_lower", name=op.f("uq_roles_account_id_name_lower")
        ),
    )
    op.create_table(
        "saml_providers",
        sa.Column("arn", sa.String(length=2048), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("metadata_document", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("valid_until", UtcDateTime(), nullable=True),
        sa.Column("assertion_encryption_mode", sa.String(length=16), nullable=True),
        sa.Column("private_keys", sa.LargeBinary(), nullable=True),
        sa.Column("settings", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_saml_providers_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("arn", name=op.f("pk_saml_providers")),
    )
    op.create_table(
        "server_certificates",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("name_lower", sa.String(length=128), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("chain", sa.Text(), nullable=True),
        sa.Column("private_key", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_server_certificates_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_certificates")),
        sa.UniqueConstraint(
            "account_id", "name_lower", name=op.f("uq_server_certificates_account_id_name_lower")
        ),
    )
    op.create_table(
        "instance_profile_roles",
        sa.Column("instance_profile_id", sa.String(length=32), nullable=False),
        sa.Column("role_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_profile_id"],
            ["instance_profiles.id"],
            name=op.f("fk_instance_profile_roles_instance_profile_id_instance_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_instance_profile_roles_role_id_roles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("instance_profile_id", name=op.f("pk_instance_profile_roles")),
    )
    op.create_index(
        "ix_instance_profile_roles_role_id", "instance_profile_roles", ["role_id"], unique=False
    )
    op.create_table(
        "login_profiles",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("password_hash", sa.String(length=512), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("password_changed_at", UtcDateTime(), nullable=False),
        sa.Column("password_reset_required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_login_profiles_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_login_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_login_profiles")),
    )
    op.create_table(
        "mfa_devices",
        sa.Column("serial_number", sa.String(length=256), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=226), nullable=False),
        sa.Column("name_lower", sa.String(length=226), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("seed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("root_assigned", sa.Boolean(), nullable=False),
        sa.Column("enabled_at", UtcDateTime(), nullable=True),
        sa.Column("last_used_step", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_mfa_devices_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mfa_devices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("serial_number", name=op.f("pk_mfa_devices")),
        sa.UniqueConstraint(
            "account_id", "name_lower", name=op.f("uq_mfa_devices_account_id_name_lower")
        ),
    )
    op.create_index("ix_mfa_devices_user_id", "mfa_devices", ["user_id"], unique=False)
    op.create_table(
        "password_history",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
        sa.Column("password_hash", sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_history_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "set_at", name=op.f("pk_password_history")),
    )
    op.create_table(
        "service_specific_credentials",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("service_name", sa.String(length=128), nullable=False),
        sa.Column("service_user_name", sa.String(length=200), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_service_specific_credentials_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_service_specific_credentials_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_specific_credentials")),
    )
    op.create_index(
        "ix_service_specific_credentials_user_id",
        "service_specific_credentials",
        ["user_id"],
        unique=False,
    )
    op.create_table(
        "signing_certificates",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("uploaded_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_signing_certificates_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_signing_certificates_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_certificates")),
    )
    op.create_index(
        "ix_signing_certificates_user",
        "signing_certificates",
        ["account_id", "user_id"],
        unique=False,
    )
    op.create_table(
        "ssh_public_keys",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=48), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("uploaded_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_ssh_public_keys_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_ssh_public_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ssh_public_keys")),
    )
    op.create_index("ix_ssh_public_keys_user_id", "ssh_public_keys", ["user_id"], unique=False)


def downgrade() -> None:

    op.drop_index("ix_ssh_public_keys_user_id", table_name="ssh_public_keys")
    op.drop_table("ssh_public_keys")
    op.drop_index("ix_signing_certificates_user", table_name="signing_certificates")
    op.drop_table("signing_certificates")
    op.drop_index(
        "ix_service_specific_credentials_user_id", table_name="service_specific_credentials"
    )
    op.drop_table("service_specific_credentials")
    op.drop_table("password_history")
    op.drop_index("ix_mfa_devices_user_id", table_name="mfa_devices")
    op.drop_table("mfa_devices")
    op.drop_table("login_profiles")
    op.drop_index("ix_instance_profile_roles_role_id", table_name="instance_profile_roles")
    op.drop_table("instance_profile_roles")
    op.drop_table("server_certificates")
    op.drop_table("saml_providers")
    op.drop_table("roles")
    op.drop_table("reports")
    op.drop_table("password_policies")
    op.drop_table("oidc_providers")
    op.drop_index("ix_last_access_account_service", table_name="last_access")
    op.drop_table("last_access")
    op.drop_table("instance_profiles")
    op.drop_table("account_settings")
    op.drop_table("account_aliases")
