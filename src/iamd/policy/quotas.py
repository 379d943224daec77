"""Policy size quotas.

"IAM and AWS STS quotas" (reference_iam-quotas): IAM does not count white space when it
measures a policy against these limits. Exceeding one is ``LimitExceeded`` at the API.
"""

from __future__ import annotations

__all__ = [
    "INLINE_GROUP_AGGREGATE",
    "INLINE_ROLE_AGGREGATE",
    "INLINE_USER_AGGREGATE",
    "MANAGED_POLICY_SIZE",
    "SESSION_POLICY_SIZE",
    "TRUST_POLICY_SIZE",
    "policy_size",
]

MANAGED_POLICY_SIZE = 6144
"""A managed policy (and so a permissions boundary), per version."""
INLINE_USER_AGGREGATE = 2048
"""All inline policies of one user together."""
INLINE_GROUP_AGGREGATE = 5120
"""All inline policies of one group together."""
INLINE_ROLE_AGGREGATE = 10240
"""All inline policies of one role together."""
TRUST_POLICY_SIZE = 2048
"""A role trust policy (the adjustable default quota; its maximum is 4,096)."""
SESSION_POLICY_SIZE = 2048
"""The plaintext of an inline session policy passed to AssumeRole* or GetFederationToken."""


def policy_size(text: str) -> int:
    """Characters of ``text`` that count against a quota: all but white space."""
    return sum(1 for ch in text if not ch.isspace())
