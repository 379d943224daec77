"""The app factory: the composition root, where the real store, clock, ids and keys are wired
(STYLE 3), and the ASGI app that serves IAM and STS on one port."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from iamd.clock import Clock
from iamd.ids import IdFactory
from iamd.server.bootstrap import Opened, first_start, open_data
from iamd.server.config import ServerConfig
from iamd.server.offset_clock import clock_from_environment
from iamd.server.pipeline import HttpRequest, Pipeline
from iamd.services.sts.oidc_jwks import configure_federation

__all__ = ["app_from_environment", "build_app", "config_from_environment", "create_app"]


def create_app(
    config: ServerConfig,
    env: Mapping[str, str],
    *,
    clock: Clock | None = None,
    ids: IdFactory | None = None,
) -> Starlette:
    """Opens the data set (making it on first start) and returns the ASGI app."""
    clock = clock or clock_from_environment(env)  # None unless a test asks (offset_clock)
    configure_federation(env)
    opened = open_data(config, env, clock=clock, ids=ids)
    first_start(opened, config, env)
    return build_app(opened, config)


def build_app(opened: Opened, config: ServerConfig) -> Starlette:
    pipeline = Pipeline(opened.deps, config)

    async def aws(request: Request) -> Response:
        body = await request.body()
        scope = request.scope
        client = request.client
        http_request = HttpRequest(
            method=request.method,
            raw_path=scope.get("raw_path", b"/").decode("latin-1").split("?", 1)[0] or "/",
            query_string=scope.get("query_string", b"").decode("latin-1"),
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
            body=body,
            source_ip=client.host if client else "",
            secure=scope.get("scheme") == "https",
        )
        response, _outcome = await run_in_threadpool(pipeline.handle, http_request)
        return Response(
            response.body,
            status_code=response.status,
            media_type=response.content_type,
            headers={"x-amzn-RequestId": response.request_id},
        )

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        opened.store.close()

    app = Starlette(
        routes=[
            Route("/", aws, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.pipeline = pipeline
    app.state.opened = opened
    return app


def config_from_environment(env: Mapping[str, str]) -> ServerConfig:
    """The settings ``iamd serve`` hands to its worker processes through the environment."""
    return ServerConfig(
        data_dir=Path(env.get("IAMD_DATA_DIR", "iamd-data")),
        database_url=env.get("IAMD_DATABASE_URL") or None,
        host=env.get("IAMD_HOST", "127.0.0.1"),
        port=int(env.get("IAMD_PORT", "9400")),
    )


def app_from_environment() -> Starlette:
    """Uvicorn's app factory (``iamd serve`` with several workers)."""
    env = dict(os.environ)
    return create_app(config_from_environment(env), env)
