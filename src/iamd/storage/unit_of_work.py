"""The unit of work: one transaction per API call (STYLE 27)."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from iamd.storage.repositories import (
    AccessKeyRepository,
    AccountAliasRepository,
    AccountReportRepository,
    AccountRepository,
    AccountSettingRepository,
    GroupRepository,
    InlinePolicyRepository,
    InstanceProfileRepository,
    LastAccessRepository,
    LoginProfileRepository,
    ManagedPolicyRepository,
    MfaDeviceRepository,
    OidcProviderRepository,
    PasswordPolicyRepository,
    ReportRepository,
    RoleRepository,
    SamlProviderRepository,
    ServerCertificateRepository,
    ServiceCredentialRepository,
    SigningCertificateRepository,
    SshPublicKeyRepository,
    TagRepository,
    UserRepository,
)

__all__ = ["AccountGone", "Store", "StoreUnavailable", "UnitOfWork"]


class AccountGone(Exception):
    """A write was begun for an account that no longer exists."""


class StoreUnavailable(Exception):
    """The database cannot be reached (connection lost, server down)."""


class UnitOfWork(Protocol):
    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def groups(self) -> GroupRepository: ...

    @property
    def policies(self) -> ManagedPolicyRepository: ...

    @property
    def inline_policies(self) -> InlinePolicyRepository: ...

    @property
    def access_keys(self) -> AccessKeyRepository: ...

    @property
    def tags(self) -> TagRepository: ...

    @property
    def roles(self) -> RoleRepository: ...

    @property
    def instance_profiles(self) -> InstanceProfileRepository: ...

    @property
    def oidc_providers(self) -> OidcProviderRepository: ...

    @property
    def saml_providers(self) -> SamlProviderRepository: ...

    @property
    def server_certificates(self) -> ServerCertificateRepository: ...

    @property
    def account_aliases(self) -> AccountAliasRepository: ...

    @property
    def account_settings(self) -> AccountSettingRepository: ...

    @property
    def reports(self) -> ReportRepository: ...

    @property
    def last_access(self) -> LastAccessRepository: ...

    @property
    def account_reports(self) -> AccountReportRepository: ...

    @property
    def login_profiles(self) -> LoginProfileRepository: ...

    @property
    def password_policies(self) -> PasswordPolicyRepository: ...

    @property
    def mfa_devices(self) -> MfaDeviceRepository: ...

    @property
    def ssh_public_keys(self) -> SshPublicKeyRepository: ...

    @property
    def signing_certificates(self) -> SigningCertificateRepository: ...

    @property
    def service_credentials(self) -> ServiceCredentialRepository: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Commit when the block ends normally, roll back when it raises."""
        ...

    def lock_account(self, account_id: str, *, bump: bool = True) -> int:
        """Serialise writers of one account and bump its change counter (what caches on every
        node compare against). Raises :class:`AccountGone`. Returns the version.

        ``bump=False`` takes the lock and leaves the counter as it is: for a write that only
        adds an entity no cache can hold yet (a new user, group, role, policy, key)."""
        ...


class Store(Protocol):
    def unit_of_work(self, *, write: bool = False) -> UnitOfWork: ...

    def close(self) -> None: ...
