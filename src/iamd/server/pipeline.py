"""The path of one request (DESIGN.md): protocol -> authentication -> authorization -> handler
-> protocol. Plain synchronous code over plain values: the ASGI app runs it in a worker thread.

Every failure becomes an AWS error answer: a typed :class:`AwsError` as itself, a lost database
as ``ServiceUnavailable``, anything else as ``InternalFailure`` carrying only the request id —
never an exception's text.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from iamd.domain import Principal
from iamd.domain.principals import ANONYMOUS
from iamd.errors import (
    AccessDenied,
    AwsError,
    InternalFailure,
    InvalidClientTokenId,
    ServiceUnavailable,
)
from iamd.policy import Decision, access_denied_message
from iamd.protocol import ServiceApi, load_service, read_form
from iamd.protocol.sigv4 import (
    SignedRequest,
    SigningKeyCache,
    parse_signature,
    scope_service_mismatch,
    verify_signature,
)
from iamd.server.config import ServerConfig
from iamd.services import Authenticator, Call, Deps, Operation, operations
from iamd.services.authorization import PolicyAuthorizer
from iamd.services.context import RequestInfo
from iamd.storage import AccountGone, Conflict, StoreUnavailable

__all__ = ["Evaluation", "HttpRequest", "HttpResponse", "Outcome", "Pipeline"]

log = logging.getLogger("iamd.request")

_UNKNOWN_KEY_MESSAGE = "The security token included in the request is invalid."
_UNAVAILABLE = "Service is unable to handle the request."


@dataclass(frozen=True, slots=True)
class HttpRequest:
    method: str
    raw_path: str
    query_string: str
    headers: Sequence[tuple[str, str]]
    body: bytes
    source_ip: str
    secure: bool = False


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    body: bytes
    request_id: str
    content_type: str = "text/xml"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One question the policy engine answered for a request, and its answer."""

    action: str
    resource: str
    decision: Decision


@dataclass(slots=True)
class Outcome:
    """What became of one request, for the audit log and metrics.

    ``params`` and ``response`` are already masked (``ServiceApi.redact_params`` /
    ``redact_result``); ``response`` is kept for operations that change something only.
    ``operation`` is the AWS name, or the ``Action`` the client sent when iamd has no such
    operation (then ``read_only`` is None).
    """

    request_id: str
    event_time: dt.datetime | None = None
    service: str | None = None
    operation: str | None = None
    read_only: bool | None = None
    caller: Principal | None = None
    principal_arn: str | None = None
    account_id: str | None = None
    access_key_id: str | None = None
    region: str | None = None
    source_ip: str = ""
    user_agent: str = ""
    params: Mapping[str, object] | None = None
    response: Mapping[str, object] | None = None
    error_code: str | None = None
    error_message: str | None = None
    status: int = 200
    decision: str | None = None
    evaluations: list[Evaluation] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


class Pipeline:
    def __init__(self, deps: Deps, config: ServerConfig) -> None:
        self._deps = deps
        self._config = config
        self._authorizer = PolicyAuthorizer(deps.principals)
        self._authenticator = Authenticator(deps)
        self._signing_keys = SigningKeyCache()
        self._apis: dict[str, ServiceApi] = {name: load_service(name) for name in ("iam", "sts")}
        self._operations: Mapping[tuple[str, str], Operation] = operations()
        self._writes = frozenset(op.name for op in self._operations.values() if op.write)

    @property
    def authenticator(self) -> Authenticator:
        return self._authenticator

    @property
    def authorizer(self) -> PolicyAuthorizer:
        return self._authorizer

    def is_write(self, action: str) -> bool:
        """Whether the IAM or STS operation named ``action`` changes anything."""
        return action in self._writes

    def forget_caches(self) -> None:
        """Drop the credential and policy caches (a write batch was not committed)."""
        self._authenticator.clear()
        self._authorizer.clear()

    def withdraw(self, outcome: Outcome) -> HttpResponse:
        """``ServiceUnavailable`` for a request whose transaction was not committed after all."""
        outcome.response = None
        api = self._apis.get(outcome.service or "iam", self._apis["iam"])
        return self._error(api, ServiceUnavailable(_UNAVAILABLE), outcome)

    def handle_unavailable(self, request: HttpRequest) -> tuple[HttpResponse, Outcome]:
        """The answer to a request the store could not take at all."""
        outcome = self._outcome(request)
        return self._error(self._apis["iam"], ServiceUnavailable(_UNAVAILABLE), outcome), outcome

    def _outcome(self, request: HttpRequest) -> Outcome:
        return Outcome(
            request_id=str(uuid.uuid4()),
            event_time=self._deps.clock.now(),
            source_ip=request.source_ip,
            user_agent=_header(request.headers, "user-agent"),
        )

    def handle(self, request: HttpRequest) -> tuple[HttpResponse, Outcome]:
        outcome = self._outcome(request)
        api = self._apis["iam"]
        try:
            form = read_form(
                request.body,
                request.query_string,
                max_body=self._config.max_body_bytes,
                max_fields=self._config.max_form_fields,
            )
            api = self._api_for(request, form)
            outcome.service = api.name
            outcome.operation = form.get("Action")
            body = self._serve(api, request, form, outcome)
            return HttpResponse(200, body, outcome.request_id), outcome
        except AwsError as error:
            return self._error(api, error, outcome), outcome
        except Exception:
            log.exception("internal failure", extra={"request_id": outcome.request_id})
            failure = InternalFailure(
                "We encountered an internal error. Please try again. "
                f"(request {outcome.request_id})"
            )
            return self._error(api, failure, outcome), outcome

    def _api_for(self, request: HttpRequest, form: Mapping[str, str]) -> ServiceApi:
        """IAM or STS, told apart by the SigV4 scope's service name, else by ``Version``."""
        service = _scope_service(request)
        if service is None:
            version = form.get("Version")
            service = "sts" if version == self._apis["sts"].api_version else "iam"
        api = self._apis.get(service)
        if api is None:
            raise scope_service_mismatch("iam")
        return api

    def _serve(
        self, api: ServiceApi, request: HttpRequest, form: Mapping[str, str], outcome: Outcome
    ) -> bytes:
        now = self._deps.clock.now()
        action = form.get("Action")
        operation = self._operations.get((api.name, action or ""))
        if operation is not None:
            outcome.read_only = not operation.write
        signed: SignedRequest | None = None
        if operation is None or not operation.unsigned:
            signed = parse_signature(
                request.method, request.raw_path, request.query_string, request.headers, now
            )
            if signed.service != api.name:
                raise scope_service_mismatch(api.name)
            outcome.access_key_id = signed.access_key_id
            outcome.region = signed.region
        for attempt in (1, 2):
            try:
                return self._in_transaction(api, request, form, signed, operation, outcome, now)
            except Conflict:
                # Another writer won a race for a unique name or key: the second attempt sees
                # its write and answers as AWS does (EntityAlreadyExists, ...).
                if attempt == 2:
                    raise
            except StoreUnavailable:
                raise ServiceUnavailable(_UNAVAILABLE) from None
            except AccountGone:
                raise InvalidClientTokenId(_UNKNOWN_KEY_MESSAGE) from None
        raise AssertionError("unreachable")

    def _in_transaction(
        self,
        api: ServiceApi,
        request: HttpRequest,
        form: Mapping[str, str],
        signed: SignedRequest | None,
        operation: Operation | None,
        outcome: Outcome,
        now: Any,
    ) -> bytes:
        write = operation is not None and operation.write
        with self._deps.store.unit_of_work(write=write) as uow:
            if signed is None:  # an operation AWS answers without a signature
                caller, version = ANONYMOUS, None
            else:
                credential = self._authenticator.credential(
                    uow, signed.access_key_id, signed.security_token, now=now, service=api.name
                )
                if credential is None:
                    raise InvalidClientTokenId(_UNKNOWN_KEY_MESSAGE)
                verify_signature(
                    signed,
                    request.method,
                    request.raw_path,
                    request.query_string,
                    request.headers,
                    request.body,
                    credential.secret_access_key,
                    self._signing_keys,
                )
                caller, version = credential.principal, credential.account_version
            outcome.caller = caller
            outcome.principal_arn = caller.arn
            outcome.account_id = caller.account_id
            if operation is None:
                action = form.get("Action") or ""
                if action in api.operation_names:
                    # In the model, but not answered by iamd: as AWS answers an unknown action.
                    raise api.invalid_action(action)
                api.parse(form)  # raises MissingAction / InvalidAction
                raise api.invalid_action(action)
            parsed = api.parse(form)
            outcome.operation = parsed.operation
            outcome.params = api.redact_params(parsed)
            if write:
                uow.lock_account(caller.account_id, bump=not operation.cache_neutral)
            info = RequestInfo(
                source_ip=request.source_ip,
                user_agent=outcome.user_agent,
                secure_transport=request.secure,
                region=signed.region if signed is not None else "us-east-1",
            )
            call = Call(
                self._deps,
                uow,
                caller,
                now,
                outcome.request_id,
                info,
                version,
            )
            self._authorize(call, operation, parsed.params, outcome)
            result = operation.handler(call, **parsed.params)
            if write and result is not None:
                outcome.response = api.redact_result(parsed.operation, result)
            return api.serialize_result(parsed.operation, result, outcome.request_id)

    def _authorize(
        self, call: Call, operation: Operation, params: Mapping[str, Any], outcome: Outcome
    ) -> None:
        if not operation.authorized:
            outcome.decision = "NotEvaluated"
            return
        for check in operation.checks(call, params):
            decision = self._authorizer.decide(call, check, params)
            outcome.evaluations.append(Evaluation(check.action, check.resource, decision))
            if not decision.allowed:
                outcome.decision = "Denied"
                raise AccessDenied(
                    access_denied_message(call.caller.arn, check.action, check.resource, decision)
                )
        outcome.decision = "Allowed"

    def _error(self, api: ServiceApi, error: AwsError, outcome: Outcome) -> HttpResponse:
        outcome.error_code = error.code
        outcome.error_message = error.message
        outcome.status = error.status
        body = api.serialize_error(error, outcome.request_id)
        return HttpResponse(error.status, body, outcome.request_id)


def _header(headers: Sequence[tuple[str, str]], name: str) -> str:
    for key, value in headers:
        if key.lower() == name:
            return value
    return ""


def _scope_service(request: HttpRequest) -> str | None:
    """The service named in the credential scope, read without checking anything else."""
    for name, value in request.headers:
        if name.lower() == "authorization":
            start = value.find("Credential=")
            if start < 0:
                return None
            scope = value[start + len("Credential=") :].split(",", 1)[0].strip().split("/")
            return scope[3] if len(scope) == 5 else None
    marker = "X-Amz-Credential="
    start = request.query_string.find(marker)
    if start >= 0:
        scope = unquote(request.query_string[start + len(marker) :].split("&", 1)[0]).split("/")
        return scope[3] if len(scope) == 5 else None
    return None
