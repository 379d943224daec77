"""Who an access key belongs to: the step between SigV4 and the policy engine.

The answer for a key is kept in memory and trusted only while its account's change counter is
unchanged: every write in an account bumps the counter in the store, on whichever node made it,
so a key deleted, deactivated or moved on one node is refused by every node on its next
request (DESIGN.md, "Caches").

Temporary credentials (``ASIA…`` with ``X-Amz-Security-Token``) are not stored anywhere: the
session token is the session, sealed under the master keyring
(:mod:`iamd.credentials.session_tokens`). The token is opened (AES-GCM), checked to belong to
the key id the request is signed with and to be unexpired at the server's clock; whether its
issuer still exists and has not revoked it is read from the store only when the account's
change counter moved — no database write, and no extra read per request.
"""

from __future__ import annotations

import datetime as dt
import hmac
import threading
from collections import OrderedDict
from dataclasses import dataclass

from iamd.credentials import ExpiredSessionToken, InvalidSessionToken, SessionClaims, SessionKind
from iamd.domain import KeyStatus, Principal, PrincipalType, root_arn
from iamd.services.context import Deps
from iamd.services.iam.access_keys import secret_context
from iamd.services.sts.issuing import sealer
from iamd.services.sts.principals import session_alive, session_principal
from iamd.storage import UnitOfWork

__all__ = ["Authenticator", "Credential"]


@dataclass(frozen=True, slots=True)
class Credential:
    principal: Principal
    secret_access_key: str
    account_version: int


@dataclass(frozen=True, slots=True)
class _Session:
    token: str
    claims: SessionClaims
    credential: Credential


class Authenticator:
    def __init__(self, deps: Deps, *, max_entries: int = 10_000) -> None:
        self._deps = deps
        self._max = max_entries
        self._cache: OrderedDict[str, Credential] = OrderedDict()
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        """Forget every cached key and session (see ``PolicyAuthorizer.clear``)."""
        with self._lock:
            self._cache.clear()
            self._sessions.clear()

    def credential(
        self,
        uow: UnitOfWork,
        access_key_id: str,
        security_token: str | None = None,
        *,
        now: dt.datetime | None = None,
        service: str | None = None,
    ) -> Credential | None:
        """The principal and secret of the key a request is signed with, or None when the key
        is unknown or inactive.

        With ``security_token``, the key is a session's (``ASIA…``): the token must be intact
        and bound to the key (else InvalidClientTokenId), unexpired at ``now`` (else
        ExpiredToken), and its session still standing (else None). ``service`` (``iam`` or
        ``sts``) applies AWS's limits on where a session's credentials work.
        """
        if security_token is not None:
            when = now if now is not None else self._deps.clock.now()
            return self._session_credential(uow, access_key_id, security_token, when, service)
        if access_key_id.startswith("ASIA"):
            return None  # temporary credentials need their session token
        with self._lock:
            cached = self._cache.get(access_key_id)
        if cached is not None:
            version = uow.accounts.version(cached.principal.account_id)
            if version == cached.account_version:
                self.hits += 1
                return cached
        self.misses += 1
        found = self._load(uow, access_key_id)
        with self._lock:
            if found is None:
                self._cache.pop(access_key_id, None)
            else:
                self._cache[access_key_id] = found
                self._cache.move_to_end(access_key_id)
                while len(self._cache) > self._max:
                    self._cache.popitem(last=False)
        return found

    def _load(self, uow: UnitOfWork, access_key_id: str) -> Credential | None:
        key = uow.access_keys.get(access_key_id)
        if key is None or key.status is not KeyStatus.ACTIVE:
            return None
        version = uow.accounts.version(key.account_id)
        if version is None:
            return None
        # Read the key again after its account's counter: what is cached under ``version`` is
        # then never older than ``version``, even where each statement sees the newest commit
        # (PostgreSQL's READ COMMITTED, in write requests) and a write landed in between.
        key = uow.access_keys.get(access_key_id)
        if key is None or key.status is not KeyStatus.ACTIVE:
            return None
        secret = self._deps.secrets.decrypt(
            key.secret_ciphertext, context=secret_context(key.id)
        ).decode()
        if key.user_id is None:
            principal = Principal(
                type=PrincipalType.ROOT,
                account_id=key.account_id,
                arn=root_arn(key.account_id),
                user_id=key.account_id,
                access_key_id=key.id,
            )
        else:
            user = uow.users.get_by_id(key.account_id, key.user_id)
            if user is None:
                return None
            principal = Principal(
                type=PrincipalType.USER,
                account_id=key.account_id,
                arn=user.arn,
                user_id=user.id,
                access_key_id=key.id,
                name=user.name,
                entity_id=user.id,
                path=user.path,
            )
        return Credential(principal, secret, version)

    # -- temporary credentials ---------------------------------------------------------------

    def _session_credential(
        self,
        uow: UnitOfWork,
        access_key_id: str,
        token: str,
        now: dt.datetime,
        service: str | None,
    ) -> Credential | None:
        with self._lock:
            cached = self._sessions.get(access_key_id)
        if cached is not None and hmac.compare_digest(cached.token, token):
            claims = cached.claims
            if now >= claims.expires_at:
                raise ExpiredSessionToken(claims)
            version = uow.accounts.version(claims.account_id)
            if version == cached.credential.account_version:
                self.hits += 1
                _check_service(claims, service)
                return cached.credential
        self.misses += 1
        claims = sealer(self._deps).open(token, now, access_key_id=access_key_id)
        version = uow.accounts.version(claims.account_id)
        if version is None or not session_alive(uow, claims):
            with self._lock:
                self._sessions.pop(access_key_id, None)
            # The issuer is gone or has revoked its sessions: the token no longer names a
            # session (inferred: AWS answers a deleted role's sessions as an invalid token).
            raise InvalidSessionToken()
        credential = Credential(session_principal(claims), claims.secret_access_key, version)
        with self._lock:
            self._sessions[access_key_id] = _Session(token, claims, credential)
            self._sessions.move_to_end(access_key_id)
            while len(self._sessions) > self._max:
                self._sessions.popitem(last=False)
        _check_service(claims, service)
        return credential


def _check_service(claims: SessionClaims, service: str | None) -> None:
    """ "Comparing the AWS STS API operations" (id_credentials_temp_request#stsapi_comparison):
    GetFederationToken credentials cannot call IAM; GetSessionToken credentials cannot call IAM
    unless MFA information was included. AWS answers these with InvalidClientTokenId (as the
    reports in cloudyr/aws.iam#15 and aws/aws-sdk-js#460 show)."""
    if service != "iam":
        return
    kind = claims.kind
    if kind is SessionKind.FEDERATED_USER or (
        kind in (SessionKind.USER_SESSION, SessionKind.ROOT_SESSION)
        and not claims.mfa_authenticated
    ):
        raise InvalidSessionToken()
