"""What a handler is given: the long-lived dependencies, and the call it is serving."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from iamd.clock import Clock
from iamd.domain import DEFAULT_QUOTAS, Principal, Quotas
from iamd.ids import IdFactory
from iamd.services.policy_cache import CompiledPolicies, VersionedCache

if TYPE_CHECKING:
    from iamd.services.authorization import PrincipalPolicies
    from iamd.services.sts.oidc_jwks import JwksCache
from iamd.storage import Store, UnitOfWork

__all__ = ["Call", "Deps", "RequestInfo", "SecretBox"]


class SecretBox(Protocol):
    """Encrypts secrets at rest (the credentials package's keyring)."""

    def encrypt(self, plaintext: bytes, *, context: bytes) -> bytes: ...

    def decrypt(self, blob: bytes, *, context: bytes) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Deps:
    """Wired once by the server's app factory (the composition root)."""

    store: Store
    clock: Clock
    ids: IdFactory
    secrets: SecretBox
    quotas: Quotas = DEFAULT_QUOTAS
    compiled: CompiledPolicies = field(default_factory=CompiledPolicies)
    """Compiled policies, shared by the authorizer and the simulator (content-addressed)."""
    principals: VersionedCache[PrincipalPolicies] = field(default_factory=VersionedCache)
    """Each principal's policies and tags, per account change counter: the pipeline's
    authorizer and handlers that decide by themselves (AssumeRole) share them."""
    jwks: JwksCache | None = None
    """OpenID Connect issuers' key sets, fetched over HTTPS (AssumeRoleWithWebIdentity); the app
    factory makes it with the CA bundle it is given (IAMD_CA_BUNDLE)."""


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """What the request context knows of the request beyond its parameters
    (aws:SourceIp, aws:UserAgent, aws:SecureTransport, aws:RequestedRegion)."""

    source_ip: str = ""
    user_agent: str = ""
    secure_transport: bool = False
    region: str = "us-east-1"


NO_REQUEST_INFO = RequestInfo()


@dataclass(frozen=True, slots=True)
class Call:
    """One API call: its unit of work, its caller, and the time it is served at."""

    deps: Deps
    uow: UnitOfWork
    caller: Principal
    now: dt.datetime
    request_id: str
    request: RequestInfo = NO_REQUEST_INFO
    account_version: int | None = None
    """The account's change counter when the call began (None: not read)."""

    @property
    def account_id(self) -> str:
        return self.caller.account_id
