"""The policy module's one exception.

The service layer maps it to ``MalformedPolicyDocument`` (or ``LimitExceeded`` for sizes); the
policy package itself may not import ``iamd.errors`` (DESIGN.md, layering).
"""

from __future__ import annotations

__all__ = ["PolicyError"]


class PolicyError(ValueError):
    """A policy document is invalid; ``message`` is AWS's MalformedPolicyDocument text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
