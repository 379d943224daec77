"""STS operations."""

from iamd.services.sts import identity

__all__ = ["identity"]
