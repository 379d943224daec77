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
    Boolean,
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
    # Revision 0003: a policy's boundary usage count, per row of ListPolicies, without a scan.
    Index("ix_users_account_boundary", "account_id", "permissions_boundary_arn"),
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


# -- revision 0002: roles, instance profiles, credentials, providers, account settings -----------

roles = Table(
    "roles",
    metadata,
    Column("id", String(32), primary_key=True),
    _account_fk(),
    Column("name", String(64), nullable=False),
    Column("name_lower", String(64), nullable=False),
    Column("path", String(512), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("assume_role_policy", Text, nullable=False),
    Column("description", String(1000)),
    Column("max_session_duration", Integer, nullable=False),
    Column("permissions_boundary_arn", String(2048)),
    Column("last_used_at", UtcDateTime),
    Column("last_used_region", String(32)),
    # For service-linked roles: the service that owns it; edits through the ordinary API refused.
    Column("service_linked_to", String(256)),
    # Revision 0004: the unique id of each user and role the trust policy names, as JSON
    # {"<arn as written>": "<AIDA…|AROA…>"}; NULL when it names none.
    Column("trust_principal_ids", Text),
    UniqueConstraint("account_id", "name_lower"),
    Index("ix_roles_account_boundary", "account_id", "permissions_boundary_arn"),
)

instance_profiles = Table(
    "instance_profiles",
    metadata,
    Column("id", String(32), primary_key=True),
    _account_fk(),
    Column("name", String(128), nullable=False),
    Column("name_lower", String(128), nullable=False),
    Column("path", String(512), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("account_id", "name_lower"),
)

instance_profile_roles = Table(
    "instance_profile_roles",
    metadata,
    # One role per instance profile: the profile is the primary key.
    Column(
        "instance_profile_id",
        String(32),
        ForeignKey("instance_profiles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("role_id", String(32), ForeignKey("roles.id", ondelete="CASCADE"), nullable=False),
    Index("ix_instance_profile_roles_role_id", "role_id"),
)

login_profiles = Table(
    "login_profiles",
    metadata,
    Column("user_id", String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    _account_fk(),
    Column("password_hash", String(512), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("password_changed_at", UtcDateTime, nullable=False),
    Column("password_reset_required", Boolean, nullable=False),
)

password_history = Table(
    "password_history",
    metadata,
    Column("user_id", String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("set_at", UtcDateTime, primary_key=True),
    Column("password_hash", String(512), nullable=False),
)

password_policies = Table(
    "password_policies",
    metadata,
    Column(
        "account_id", String(12), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("minimum_password_length", Integer, nullable=False),
    Column("require_symbols", Boolean, nullable=False),
    Column("require_numbers", Boolean, nullable=False),
    Column("require_uppercase_characters", Boolean, nullable=False),
    Column("require_lowercase_characters", Boolean, nullable=False),
    Column("allow_users_to_change_password", Boolean, nullable=False),
    Column("max_password_age", Integer),
    Column("password_reuse_prevention", Integer),
    Column("hard_expiry", Boolean, nullable=False),
)

mfa_devices = Table(
    "mfa_devices",
    metadata,
    Column("serial_number", String(256), primary_key=True),
    _account_fk(),
    Column("name", String(226), nullable=False),
    Column("name_lower", String(226), nullable=False),
    Column("path", String(512), nullable=False),
    Column("seed", LargeBinary, nullable=False),  # encrypted under the master key
    Column("created_at", UtcDateTime, nullable=False),
    # The identity the device is enabled for: a user, or the root user (root_assigned).
    Column("user_id", String(32), ForeignKey("users.id", ondelete="CASCADE")),
    Column("root_assigned", Boolean, nullable=False),
    Column("enabled_at", UtcDateTime),
    # The last TOTP time step accepted: a code is never accepted twice.
    Column("last_used_step", BigInteger),
    UniqueConstraint("account_id", "name_lower"),
    Index("ix_mfa_devices_user_id", "user_id"),
)

oidc_providers = Table(
    "oidc_providers",
    metadata,
    Column("arn", String(2048), primary_key=True),
    _account_fk(),
    Column("url", String(255), nullable=False),
    Column("client_ids", Text, nullable=False),  # JSON list
    Column("thumbprints", Text, nullable=False),  # JSON list
    Column("created_at", UtcDateTime, nullable=False),
)

saml_providers = Table(
    "saml_providers",
    metadata,
    Column("arn", String(2048), primary_key=True),
    _account_fk(),
    Column("name", String(128), nullable=False),
    Column("metadata_document", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("valid_until", UtcDateTime),
    Column("assertion_encryption_mode", String(16)),
    Column("private_keys", LargeBinary),  # encrypted JSON list of {KeyId, Timestamp, PEM}
    Column("settings", Text),  # JSON: context provider, Identity Center instance, ...
)

server_certificates = Table(
    "server_certificates",
    metadata,
    Column("id", String(128), primary_key=True),
    _account_fk(),
    Column("name", String(128), nullable=False),
    Column("name_lower", String(128), nullable=False),
    Column("path", String(512), nullable=False),
    Column("body", Text, nullable=False),
    Column("chain", Text),
    Column("private_key", LargeBinary, nullable=False),  # encrypted under the master key
    Column("uploaded_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime),
    UniqueConstraint("account_id", "name_lower"),
)

signing_certificates = Table(
    "signing_certificates",
    metadata,
    Column("id", String(128), primary_key=True),
    _account_fk(),
    Column("user_id", String(32), ForeignKey("users.id", ondelete="CASCADE")),  # NULL: root
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("uploaded_at", UtcDateTime, nullable=False),
    Index("ix_signing_certificates_user", "account_id", "user_id"),
)

ssh_public_keys = Table(
    "ssh_public_keys",
    metadata,
    Column("id", String(128), primary_key=True),
    _account_fk(),
    Column("user_id", String(32), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    Column("fingerprint", String(48), nullable=False),
    Column("status", String(16), nullable=False),
    Column("uploaded_at", UtcDateTime, nullable=False),
    Index("ix_ssh_public_keys_user_id", "user_id"),
)

service_specific_credentials = Table(
    "service_specific_credentials",
    metadata,
    Column("id", String(128), primary_key=True),
    _account_fk(),
    Column("user_id", String(32), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("service_name", String(128), nullable=False),
    Column("service_user_name", String(200), nullable=False),
    Column("secret", LargeBinary, nullable=False),  # encrypted under the master key
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime),
    Index("ix_service_specific_credentials_user_id", "user_id"),
)

account_aliases = Table(
    "account_aliases",
    metadata,
    Column(
        "account_id", String(12), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("alias", String(63), nullable=False, unique=True),
)

account_settings = Table(
    "account_settings",
    metadata,
    Column(
        "account_id", String(12), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("key", String(128), primary_key=True),
    Column("value", Text, nullable=False),
)

reports = Table(
    "reports",
    metadata,
    # Credential reports (kind 'credential', id ''), service-last-accessed jobs (kind 'access',
    # id = job id) and organizations access reports.
    Column(
        "account_id", String(12), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("kind", String(16), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("completed_at", UtcDateTime),
    Column("content", LargeBinary),
    Column("parameters", Text),
)

last_access = Table(
    "last_access",
    metadata,
    # What each identity last did, per service and action ("service last accessed" data),
    # written from the request log in batches, never on the request path.
    Column("account_id", String(12), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("entity_arn", String(2048), primary_key=True),
    Column("service_namespace", String(64), primary_key=True),
    Column("action", String(128), primary_key=True),
    Column("last_accessed_at", UtcDateTime, nullable=False),
    Column("region", String(32)),
    Index("ix_last_access_account_service", "account_id", "service_namespace"),
)
