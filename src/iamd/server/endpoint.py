"""The AWS endpoint (``POST /`` and presigned ``GET /``) as a bare ASGI callable, and the app that
puts it in front of the Starlette routes (health, metrics, the console).

The endpoint reads the body (at most the configured cap plus one byte: the pipeline refuses
anything larger), runs the request through :class:`~iamd.server.pipeline.Pipeline`, hands the
outcome to the audit log and the metrics, and sends the answer. Where the pipeline runs is the
measured choice of docs/benchmarks.md: read-only requests on the event loop's own thread (a read
on SQLite takes less time than two thread hand-offs under the GIL), writes on a worker thread so
that a commit's ``fsync`` never stalls the loop — on SQLite all of them on one thread that
commits them in batches (:mod:`iamd.server.writer`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from iamd.server.audit_log import AuditLog
from iamd.server.metrics import Metrics
from iamd.server.pipeline import HttpRequest, HttpResponse, Outcome, Pipeline
from iamd.server.writer import GroupCommitWriter

__all__ = ["AwsEndpoint", "IamdApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

_ACTION = re.compile(rb"(?:^|&)Action=([A-Za-z0-9]+)(?:&|$)")


class AwsEndpoint:
    def __init__(
        self,
        pipeline: Pipeline,
        audit: AuditLog | None,
        metrics: Metrics | None,
        *,
        max_body: int,
        inline_reads: bool,
        writer: GroupCommitWriter | None = None,
    ) -> None:
        self._pipeline = pipeline
        self._audit = audit
        self._metrics = metrics
        self._max_body = max_body
        self._inline_reads = inline_reads
        self._writer = writer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        body = await self._body(receive)
        client = scope.get("client")
        request = HttpRequest(
            method=scope["method"],
            raw_path=(scope.get("raw_path") or b"/").decode("latin-1").split("?", 1)[0] or "/",
            query_string=scope.get("query_string", b"").decode("latin-1"),
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
            body=body,
            source_ip=client[0] if client else "",
            secure=scope.get("scheme") == "https",
        )
        writes = self._writes(request)
        if writes and self._writer is not None:
            response, outcome = await self._writer.handle(request)
        elif self._inline_reads and not writes:
            response, outcome = self._pipeline.handle(request)
        else:
            response, outcome = await run_in_threadpool(self._pipeline.handle, request)
        self._done(outcome, time.perf_counter() - started)
        await _send(send, response)

    def _done(self, outcome: Outcome, seconds: float) -> None:
        if self._audit is not None:
            self._audit.record(outcome)
        if self._metrics is not None:
            self._metrics.observe(outcome, seconds)

    def _writes(self, request: HttpRequest) -> bool:
        """Whether the request names an operation that writes (a cheap look at ``Action``; the
        pipeline decides properly: a write run here only costs the loop some time)."""
        match = _ACTION.search(request.body) or _ACTION.search(request.query_string.encode())
        return match is not None and self._pipeline.is_write(match.group(1).decode())

    async def _body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            if chunk and size <= self._max_body:
                chunks.append(chunk)
                size += len(chunk)
            if not message.get("more_body", False):
                break
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _content_type(value: str) -> bytes:
    """As Starlette sends it: text types name their charset."""
    if value.startswith("text/") and "charset=" not in value:
        value += "; charset=utf-8"
    return value.encode("latin-1")


async def _send(send: Send, response: HttpResponse) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": [
                (b"content-type", _content_type(response.content_type)),
                (b"content-length", str(len(response.body)).encode("latin-1")),
                (b"x-amzn-requestid", response.request_id.encode("latin-1")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": response.body})


class IamdApp:
    """``/`` to the AWS endpoint; everything else (and the lifespan) to the Starlette app."""

    def __init__(self, endpoint: AwsEndpoint, routes: Asgi, state: Any) -> None:
        self.endpoint = endpoint
        self.routes = routes
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") == "/":
            if scope.get("method") in ("POST", "GET"):
                await self.endpoint(scope, receive, send)
            else:
                await _not_allowed(send)
        else:
            await self.routes(scope, receive, send)


async def _not_allowed(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 405,
            "headers": [
                (b"allow", b"GET, POST"),
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", b"18"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"Method Not Allowed"})
