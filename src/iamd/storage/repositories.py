"""Repository interfaces: what services may ask of storage.

Storage knows nothing of what a policy means; it keeps entities, enforces uniqueness (names
regardless of case) and pages lists with opaque markers. Every method runs inside the unit of
work that produced the repository.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from iamd.credentials import PasswordPolicy
from iamd.domain import (
    AccessKey,
    Account,
    AccountCounts,
    AttachedPolicy,
    CredentialFacts,
    DeletionTask,
    Group,
    InlinePolicy,
    InstanceProfile,
    KeyStatus,
    LastAccess,
    LoginProfile,
    ManagedPolicy,
    OidcProvider,
    PolicyOwnerKind,
    PolicyVersion,
    Report,
    ReportKind,
    Role,
    SamlProvider,
    ServerCertificate,
    ServiceSpecificCredential,
    SigningCertificate,
    SshPublicKey,
    Tag,
    User,
    VirtualMfaDevice,
)

__all__ = [
    "AccessKeyRepository",
    "AccountAliasRepository",
    "AccountReportRepository",
    "AccountRepository",
    "AccountSettingRepository",
    "Conflict",
    "GroupRepository",
    "InlinePolicyRepository",
    "InstanceProfileRepository",
    "InvalidMarker",
    "LastAccessRepository",
    "LoginProfileRepository",
    "ManagedPolicyRepository",
    "MfaAssignment",
    "MfaDeviceRepository",
    "OidcProviderRepository",
    "Page",
    "PasswordPolicyRepository",
    "PolicyScope",
    "ReportRepository",
    "RoleRepository",
    "SamlProviderRepository",
    "ServerCertificateRepository",
    "ServiceCredentialRepository",
    "SigningCertificateRepository",
    "SshPublicKeyRepository",
    "TagRepository",
    "UserRepository",
]

T = TypeVar("T")


class Conflict(Exception):
    """A write broke a uniqueness rule (another request got there first)."""


class InvalidMarker(Exception):
    """A pagination marker that this store did not issue."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next_marker: str | None = None

    @property
    def is_truncated(self) -> bool:
        return self.next_marker is not None


class AccountRepository(Protocol):
    def get(self, account_id: str) -> Account | None: ...

    def list(self) -> Sequence[Account]: ...

    def add(self, account: Account) -> None: ...

    def delete(self, account_id: str) -> bool: ...

    def version(self, account_id: str) -> int | None:
        """The account's change counter, None if the account does not exist."""
        ...


class UserRepository(Protocol):
    def get(self, account_id: str, name: str) -> User | None: ...

    def get_by_id(self, account_id: str, user_id: str) -> User | None: ...

    def add(self, user: User) -> None: ...

    def update(self, user: User) -> None:
        """Store ``user``'s name, path, boundary and password-last-used (matched by id)."""
        ...

    def delete(self, account_id: str, user_id: str) -> None: ...

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[User]: ...

    def count(self, account_id: str) -> int: ...

    def with_boundary(self, account_id: str, arn: str) -> Sequence[User]:
        """Users whose permissions boundary is the policy ``arn``."""
        ...


class GroupRepository(Protocol):
    def get(self, account_id: str, name: str) -> Group | None: ...

    def get_by_id(self, account_id: str, group_id: str) -> Group | None: ...

    def add(self, group: Group) -> None: ...

    def update(self, group: Group) -> None: ...

    def delete(self, account_id: str, group_id: str) -> None: ...

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[Group]: ...

    def count(self, account_id: str) -> int: ...

    def add_member(self, group_id: str, user_id: str, at: dt.datetime) -> None: ...

    def remove_member(self, group_id: str, user_id: str) -> bool: ...

    def is_member(self, group_id: str, user_id: str) -> bool: ...

    def members(
        self, account_id: str, group_id: str, *, marker: str | None, max_items: int
    ) -> Page[User]: ...

    def count_members(self, group_id: str) -> int: ...

    def groups_for_user(
        self, account_id: str, user_id: str, *, marker: str | None, max_items: int
    ) -> Page[Group]: ...

    def all_groups_for_user(self, account_id: str, user_id: str) -> Sequence[Group]: ...

    def count_groups_for_user(self, user_id: str) -> int: ...


class PolicyScope:
    ALL = "All"
    AWS = "AWS"
    LOCAL = "Local"


class ManagedPolicyRepository(Protocol):
    def get(self, account_id: str, arn: str) -> ManagedPolicy | None:
        """The policy with its attachment counts as seen from ``account_id``."""
        ...

    def get_by_name(self, account_id: str, name: str) -> ManagedPolicy | None: ...

    def add(self, policy: ManagedPolicy, first_version: PolicyVersion) -> None: ...

    def update(self, policy: ManagedPolicy) -> None:
        """Store default version, description and update time (matched by arn)."""
        ...

    def delete(self, arn: str) -> None: ...

    def list(
        self,
        account_id: str,
        *,
        scope: str,
        only_attached: bool,
        path_prefix: str,
        usage: str | None,
        marker: str | None,
        max_items: int,
    ) -> Page[ManagedPolicy]: ...

    def count_local(self, account_id: str) -> int: ...

    def get_version(self, arn: str, version_id: str) -> PolicyVersion | None: ...

    def default_version(self, arn: str) -> PolicyVersion | None: ...

    def versions(self, arn: str) -> Sequence[PolicyVersion]: ...

    def add_version(self, version: PolicyVersion) -> None: ...

    def delete_version(self, arn: str, version_id: str) -> None: ...

    def next_version_number(self, arn: str) -> int: ...

    def attach(
        self, account_id: str, kind: PolicyOwnerKind, owner_id: str, arn: str, at: dt.datetime
    ) -> None: ...

    def detach(self, kind: PolicyOwnerKind, owner_id: str, arn: str) -> bool: ...

    def is_attached(self, kind: PolicyOwnerKind, owner_id: str, arn: str) -> bool: ...

    def attached(
        self,
        kind: PolicyOwnerKind,
        owner_id: str,
        *,
        path_prefix: str,
        marker: str | None,
        max_items: int,
    ) -> Page[AttachedPolicy]: ...

    def all_attached(self, kind: PolicyOwnerKind, owner_id: str) -> Sequence[AttachedPolicy]: ...

    def attached_documents(
        self, kind: PolicyOwnerKind, owner_id: str
    ) -> Sequence[tuple[AttachedPolicy, str]]:
        """Every policy attached to the owner with its default version's document, by name (one
        read: the policy engine loads these for each principal)."""
        ...

    def count_attached(self, kind: PolicyOwnerKind, owner_id: str) -> int: ...

    def attachment_count(self, account_id: str, arn: str) -> int: ...

    def entities_for_policy(
        self, account_id: str, arn: str
    ) -> Sequence[tuple[PolicyOwnerKind, str]]:
        """(kind, owner id) of every identity in ``account_id`` the policy is attached to."""
        ...

    def boundary_usage_count(self, account_id: str, arn: str) -> int: ...


class InlinePolicyRepository(Protocol):
    def get(self, kind: PolicyOwnerKind, owner_id: str, name: str) -> InlinePolicy | None: ...

    def put(self, account_id: str, policy: InlinePolicy) -> None: ...

    def delete(self, kind: PolicyOwnerKind, owner_id: str, name: str) -> bool: ...

    def names(
        self, kind: PolicyOwnerKind, owner_id: str, *, marker: str | None, max_items: int
    ) -> Page[str]: ...

    def all(self, kind: PolicyOwnerKind, owner_id: str) -> Sequence[InlinePolicy]: ...

    def count(self, kind: PolicyOwnerKind, owner_id: str) -> int: ...


class AccessKeyRepository(Protocol):
    def get(self, access_key_id: str) -> AccessKey | None: ...

    def add(self, key: AccessKey) -> None: ...

    def set_status(self, access_key_id: str, status: KeyStatus) -> None: ...

    def delete(self, access_key_id: str) -> None: ...

    def for_user(self, account_id: str, user_id: str | None) -> Sequence[AccessKey]:
        """Keys of an IAM user, or of the root user when ``user_id`` is None."""
        ...

    def record_use(
        self, access_key_id: str, at: dt.datetime, service: str, region: str
    ) -> None: ...


class TagRepository(Protocol):
    def get(self, kind: str, resource_id: str) -> tuple[Tag, ...]: ...

    def replace(
        self, account_id: str, kind: str, resource_id: str, tags: Sequence[Tag]
    ) -> None: ...

    def page(
        self, kind: str, resource_id: str, *, marker: str | None, max_items: int
    ) -> Page[Tag]: ...

    def delete_all(self, kind: str, resource_id: str) -> None: ...


class RoleRepository(Protocol):
    """IAM roles, service-linked roles and their deletion tasks."""

    def get(self, account_id: str, name: str) -> Role | None:
        """The role named ``name`` regardless of case."""
        ...

    def get_by_id(self, account_id: str, role_id: str) -> Role | None: ...

    def add(self, role: Role) -> None: ...

    def update(self, role: Role) -> None:
        """Store ``role``'s trust policy, description, session durations and boundary (matched
        by id; a role is never renamed or moved)."""
        ...

    def delete(self, account_id: str, role_id: str) -> None: ...

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[Role]:
        """Roles by name (case-insensitive order), one keyset page at a time."""
        ...

    def count(self, account_id: str) -> int: ...

    def with_boundary(self, account_id: str, arn: str) -> Sequence[Role]:
        """The roles whose permissions boundary is the policy ``arn``, by name."""
        ...

    def record_use(self, role_id: str, at: dt.datetime, region: str) -> None:
        """The role was assumed at ``at`` in ``region`` (GetRole's RoleLastUsed)."""
        ...

    def add_deletion_task(self, task: DeletionTask) -> None: ...

    def get_deletion_task(self, account_id: str, task_id: str) -> DeletionTask | None: ...


class InstanceProfileRepository(Protocol):
    """Instance profiles and the (at most one) role each holds."""

    def get(self, account_id: str, name: str) -> InstanceProfile | None: ...

    def get_by_id(self, account_id: str, profile_id: str) -> InstanceProfile | None: ...

    def add(self, profile: InstanceProfile) -> None: ...

    def delete(self, account_id: str, profile_id: str) -> None: ...

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[InstanceProfile]: ...

    def count(self, account_id: str) -> int: ...

    def roles(self, profile_ids: Sequence[str]) -> Mapping[str, Role]:
        """The role of each of these profiles that has one (profile id -> role)."""
        ...

    def add_role(self, profile_id: str, role_id: str) -> None: ...

    def remove_role(self, profile_id: str, role_id: str) -> bool: ...

    def for_role(
        self, account_id: str, role_id: str, *, marker: str | None, max_items: int
    ) -> Page[InstanceProfile]: ...

    def count_for_role(self, role_id: str) -> int: ...


# -- user credentials: passwords, MFA, SSH public keys, signing certificates, service credentials -


class LoginProfileRepository(Protocol):
    def get(self, account_id: str, user_id: str) -> LoginProfile | None: ...

    def add(self, profile: LoginProfile) -> None: ...

    def update(self, profile: LoginProfile) -> None:
        """Store the hash, change time, reset flag and session duration (matched by user)."""
        ...

    def delete(self, account_id: str, user_id: str) -> None: ...

    def previous_hashes(self, user_id: str, count: int) -> Sequence[str]:
        """The ``count`` most recent password hashes of the user, newest first."""
        ...

    def remember(self, user_id: str, at: dt.datetime, password_hash: str) -> None:
        """Add a hash to the user's password history (the newest PASSWORD_HISTORY_DEPTH are
        kept)."""
        ...


class PasswordPolicyRepository(Protocol):
    def get(self, account_id: str) -> PasswordPolicy | None: ...

    def put(self, account_id: str, policy: PasswordPolicy) -> None: ...

    def delete(self, account_id: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class MfaAssignment:
    """A virtual MFA device and the IAM user it is enabled for (None: unassigned or root)."""

    device: VirtualMfaDevice
    user: User | None


class MfaDeviceRepository(Protocol):
    def get(self, account_id: str, serial_number: str) -> VirtualMfaDevice | None: ...

    def name_taken(self, account_id: str, name: str) -> bool: ...

    def count(self, account_id: str) -> int: ...

    def add(self, device: VirtualMfaDevice) -> None: ...

    def enable(self, serial_number: str, user_id: str | None, at: dt.datetime, step: int) -> None:
        """Enable for the user ``user_id`` (the root user when None), ``step`` used."""
        ...

    def disable(self, serial_number: str) -> None: ...

    def use_step(self, serial_number: str, step: int) -> bool:
        """Record ``step`` as the last TOTP step used, atomically, only when it is later than the
        one stored; False when it is not (a replayed or older code)."""
        ...

    def delete(self, serial_number: str) -> None: ...

    def enabled_for(self, account_id: str, user_id: str | None) -> Sequence[VirtualMfaDevice]:
        """Devices enabled for a user, or for the root user when ``user_id`` is None."""
        ...

    def page_enabled_for(
        self, account_id: str, user_id: str | None, *, marker: str | None, max_items: int
    ) -> Page[VirtualMfaDevice]: ...

    def list(
        self, account_id: str, *, assignment: str, marker: str | None, max_items: int
    ) -> Page[MfaAssignment]:
        """``assignment``: ``Assigned``, ``Unassigned`` or ``Any``."""
        ...


class SshPublicKeyRepository(Protocol):
    def get(self, user_id: str, key_id: str) -> SshPublicKey | None: ...

    def for_user(self, user_id: str) -> Sequence[SshPublicKey]: ...

    def count(self, user_id: str) -> int: ...

    def page(self, user_id: str, *, marker: str | None, max_items: int) -> Page[SshPublicKey]: ...

    def add(self, key: SshPublicKey) -> None: ...

    def set_status(self, key_id: str, status: KeyStatus) -> None: ...

    def delete(self, key_id: str) -> None: ...


class SigningCertificateRepository(Protocol):
    def get(self, account_id: str, certificate_id: str) -> SigningCertificate | None: ...

    def count(self, account_id: str, user_id: str | None) -> int:
        """Certificates of a user, or of the root user when ``user_id`` is None."""
        ...

    def page(
        self, account_id: str, user_id: str | None, *, marker: str | None, max_items: int
    ) -> Page[SigningCertificate]: ...

    def add(self, certificate: SigningCertificate) -> None: ...

    def set_status(self, certificate_id: str, status: KeyStatus) -> None: ...

    def delete(self, certificate_id: str) -> None: ...


class ServiceCredentialRepository(Protocol):
    def get(self, account_id: str, credential_id: str) -> ServiceSpecificCredential | None: ...

    def for_user(self, user_id: str) -> Sequence[ServiceSpecificCredential]: ...

    def page(
        self,
        account_id: str,
        *,
        user_id: str | None,
        service_name: str | None,
        marker: str | None,
        max_items: int,
    ) -> Page[ServiceSpecificCredential]:
        """One user's credentials, or every user's in the account when ``user_id`` is None."""
        ...

    def add(self, credential: ServiceSpecificCredential) -> None: ...

    def set_status(self, credential_id: str, status: KeyStatus) -> None: ...

    def set_secret(self, credential_id: str, secret_ciphertext: bytes) -> None: ...

    def delete(self, credential_id: str) -> None: ...


# -- identity providers, server certificates, account settings, reports --------------------------


class OidcProviderRepository(Protocol):
    """OpenID Connect providers, by ARN (unique: the ARN carries the account and the URL)."""

    def get(self, arn: str) -> OidcProvider | None: ...

    def add(self, provider: OidcProvider) -> None: ...

    def update(self, provider: OidcProvider) -> None:
        """Store ``provider``'s client ids and thumbprints (matched by ARN)."""
        ...

    def delete(self, arn: str) -> None: ...

    def list(self, account_id: str) -> Sequence[OidcProvider]:
        """Every provider of the account (at most the quota, 100), by ARN."""
        ...

    def count(self, account_id: str) -> int: ...


class SamlProviderRepository(Protocol):
    def get(self, arn: str) -> SamlProvider | None: ...

    def get_by_name(self, account_id: str, name: str) -> SamlProvider | None:
        """The provider named ``name`` regardless of case."""
        ...

    def add(self, provider: SamlProvider) -> None: ...

    def update(self, provider: SamlProvider) -> None:
        """Store the metadata, validity, encryption mode and private keys (matched by ARN)."""
        ...

    def delete(self, arn: str) -> None: ...

    def list(self, account_id: str) -> Sequence[SamlProvider]:
        """Every provider of the account (at most the quota, 100), by ARN."""
        ...

    def count(self, account_id: str) -> int: ...


class ServerCertificateRepository(Protocol):
    def get(self, account_id: str, name: str) -> ServerCertificate | None:
        """The certificate named ``name`` regardless of case."""
        ...

    def add(self, certificate: ServerCertificate) -> None: ...

    def update(self, certificate: ServerCertificate) -> None:
        """Store ``certificate``'s name and path (matched by id)."""
        ...

    def delete(self, certificate_id: str) -> None: ...

    def list(
        self, account_id: str, *, path_prefix: str, marker: str | None, max_items: int
    ) -> Page[ServerCertificate]: ...

    def count(self, account_id: str) -> int: ...


class AccountAliasRepository(Protocol):
    """Account aliases: at most one per account, each unique across the whole server."""

    def get(self, account_id: str) -> str | None: ...

    def owner(self, alias: str) -> str | None:
        """The account holding ``alias``, None when it is free."""
        ...

    def put(self, account_id: str, alias: str) -> None:
        """Set the account's alias, replacing the one it had."""
        ...

    def delete(self, account_id: str) -> None: ...


class AccountSettingRepository(Protocol):
    """Small per-account settings, as text under a key."""

    def get(self, account_id: str, key: str) -> str | None: ...

    def put(self, account_id: str, key: str, value: str) -> None: ...

    def delete(self, account_id: str, key: str) -> None: ...


class ReportRepository(Protocol):
    def get(self, account_id: str, kind: ReportKind, report_id: str) -> Report | None: ...

    def put(self, report: Report) -> None:
        """Store ``report``, replacing the one with the same account, kind and id."""
        ...

    def delete_before(self, account_id: str, kind: ReportKind, before: dt.datetime) -> None:
        """Forget the account's reports of ``kind`` created before ``before``."""
        ...


class LastAccessRepository(Protocol):
    """What each identity last did, per service and action ("service last accessed" data)."""

    def record(self, account_id: str, access: LastAccess) -> None:
        """Keep ``access`` unless a later one is stored for the same identity and action."""
        ...

    def for_entities(self, account_id: str, entity_arns: Sequence[str]) -> Sequence[LastAccess]: ...


class AccountReportRepository(Protocol):
    """Read-only views across an account's tables for GetAccountSummary and the credential
    report: one query per table for the whole account, never one per user."""

    def counts(self, account_id: str) -> AccountCounts: ...

    def credential_facts(self, account_id: str) -> Sequence[CredentialFacts]:
        """The root user first, then every IAM user by name."""
        ...

    def max_password_age(self, account_id: str) -> int | None:
        """The account password policy's MaxPasswordAge in days, None when passwords do not
        expire."""
        ...
