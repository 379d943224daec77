"""The server: app factory (composition root), request pipeline, limits, request ids."""

from iamd.server.app import build_app, create_app
from iamd.server.bootstrap import ROOT_CREDENTIALS_FILE, Opened, first_start, open_data
from iamd.server.config import DEFAULT_PORT, ServerConfig

__all__ = [
    "DEFAULT_PORT",
    "ROOT_CREDENTIALS_FILE",
    "Opened",
    "ServerConfig",
    "build_app",
    "create_app",
    "first_start",
    "open_data",
]
