"""Services: one plain function per AWS operation over the store, raising typed AWS errors.

A handler knows nothing of HTTP or XML; the server authenticates, authorizes, opens the unit of
work and serializes around it.
"""

from iamd.services.accounts import NewAccount, create_account, delete_account, list_accounts
from iamd.services.auth import Authenticator, Credential
from iamd.services.context import Call, Deps, SecretBox
from iamd.services.registry import AuthzCheck, Operation, operations

__all__ = [
    "Authenticator",
    "AuthzCheck",
    "Call",
    "Credential",
    "Deps",
    "NewAccount",
    "Operation",
    "SecretBox",
    "create_account",
    "delete_account",
    "list_accounts",
    "operations",
]
