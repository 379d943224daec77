"""The app factory: the composition root, where the real store, clock, ids and keys are wired
(STYLE 3), and the ASGI app that serves IAM and STS on one port."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from iamd.clock import Clock
from iamd.ids import IdFactory
from iamd.server.audit_log import AUDIT_LOG_FILE, AuditLog
from iamd.server.bootstrap import Opened, first_start, open_data
from iamd.server.config import ServerConfig
from iamd.server.endpoint import AwsEndpoint, IamdApp
from iamd.server.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from iamd.server.metrics import Metrics
from iamd.server.offset_clock import clock_from_environment
from iamd.server.pipeline import Pipeline
from iamd.server.writer import GroupCommitWriter
from iamd.storage.sql import current_revision, head_revision, is_postgresql
from iamd.storage.sql.usage import SqlUsage

__all__ = ["app_from_environment", "build_app", "config_from_environment", "create_app"]


def create_app(
    config: ServerConfig,
    env: Mapping[str, str],
    *,
    clock: Clock | None = None,
    ids: IdFactory | None = None,
) -> IamdApp:
    """Opens the data set (making it on first start) and returns the ASGI app."""
    clock = clock or clock_from_environment(env)  # None unless a test asks (offset_clock)
    opened = open_data(config, env, clock=clock, ids=ids)
    first_start(opened, config, env)
    return build_app(opened, config)


def build_app(opened: Opened, config: ServerConfig) -> IamdApp:
    pipeline = Pipeline(opened.deps, config)
    audit = AuditLog(
        audit_destination(config),
        usage=SqlUsage(opened.store.engine),
        usage_interval=config.usage_flush_seconds,
        batch_delay=config.audit_batch_seconds,
    )
    metrics = Metrics()
    metrics.watch_cache("credentials", pipeline.authenticator)
    metrics.watch_cache("principal_policies", pipeline.authorizer)
    metrics.watch_cache("compiled_policies", opened.deps.compiled)
    metrics.watch_pool(lambda: pool_use(opened.store.engine))
    metrics.watch_audit(lambda: (audit.records, audit.write_errors, audit.pending))
    sqlite = not is_postgresql(opened.store.engine)
    writer = None
    if config.group_commit if config.group_commit is not None else sqlite:
        writer = GroupCommitWriter(pipeline, opened.store)
    endpoint = AwsEndpoint(
        pipeline,
        audit,
        metrics,
        max_body=config.max_body_bytes,
        inline_reads=config.inline_reads if config.inline_reads is not None else sqlite,
        writer=writer,
    )

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    async def readyz(request: Request) -> Response:
        problem = await run_in_threadpool(not_ready, opened.store.engine)
        if problem is not None:
            return PlainTextResponse(f"not ready: {problem}\n", status_code=503)
        return PlainTextResponse("ok\n")

    async def metrics_page(request: Request) -> Response:
        body = await run_in_threadpool(metrics.exposition)
        return Response(body, media_type=METRICS_CONTENT_TYPE)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGHUP, audit.reopen)
        sampler = asyncio.create_task(_sample(metrics))
        try:
            yield
        finally:
            sampler.cancel()
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGHUP)
            # Every answered request's record is written before the store goes.
            if writer is not None:
                await run_in_threadpool(writer.close)
            await run_in_threadpool(audit.close)
            opened.store.close()

    routes = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_page, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    routes.state.pipeline = pipeline
    routes.state.opened = opened
    routes.state.audit = audit
    routes.state.metrics = metrics
    return IamdApp(endpoint, routes, routes.state)


async def _sample(metrics: Metrics, every: float = 5.0) -> None:
    """Keeps sampled metrics fresh between scrapes (other workers scrape them too)."""
    while True:
        await asyncio.sleep(every)
        metrics.sample()


def audit_destination(config: ServerConfig) -> str:
    """``--audit-log``: a path, ``-`` for standard output; by default in the data directory."""
    return config.audit_log or str(config.data_dir / AUDIT_LOG_FILE)


def pool_use(engine: Engine) -> dict[str, int]:
    pool: Any = engine.pool
    use: dict[str, int] = {}
    for state, method in (
        ("size", "size"),
        ("checked_out", "checkedout"),
        ("checked_in", "checkedin"),
        ("overflow", "overflow"),
    ):
        found = getattr(pool, method, None)
        if callable(found):
            use[state] = int(found())
    return use


def not_ready(engine: Engine) -> str | None:
    """Why the server cannot serve (database unreachable, unknown schema), or None."""
    try:
        revision = current_revision(engine)
    except Exception as err:
        return f"database unreachable ({type(err).__name__})"
    if revision != head_revision():
        return f"database schema at {revision}, expected {head_revision()}"
    return None


def config_from_environment(env: Mapping[str, str]) -> ServerConfig:
    """The settings ``iamd serve`` hands to its worker processes through the environment."""
    return ServerConfig(
        data_dir=Path(env.get("IAMD_DATA_DIR", "iamd-data")),
        database_url=env.get("IAMD_DATABASE_URL") or None,
        host=env.get("IAMD_HOST", "127.0.0.1"),
        port=int(env.get("IAMD_PORT", "9400")),
        audit_log=env.get("IAMD_AUDIT_LOG") or None,
        usage_flush_seconds=float(env.get("IAMD_USAGE_FLUSH_SECONDS") or 5.0),
        audit_batch_seconds=float(env.get("IAMD_AUDIT_BATCH_SECONDS") or 0.01),
        inline_reads=_flag(env.get("IAMD_INLINE_READS")),
        group_commit=_flag(env.get("IAMD_GROUP_COMMIT")),
    )


def _flag(value: str | None) -> bool | None:
    return None if not value else value.lower() not in ("0", "false", "no", "off")


def app_from_environment() -> IamdApp:
    """Uvicorn's app factory (``iamd serve`` with several workers)."""
    env = dict(os.environ)
    return create_app(config_from_environment(env), env)
