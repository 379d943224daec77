"""Accounts and their root users: made by the server's first start and by ``iamd account``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from iamd.domain import AccessKey, Account, KeyStatus, is_account_id
from iamd.errors import EntityAlreadyExists, InvalidInput, NoSuchEntity
from iamd.services.context import Deps
from iamd.services.iam.access_keys import secret_context

__all__ = ["NewAccount", "create_account", "delete_account", "list_accounts"]


@dataclass(frozen=True, slots=True)
class NewAccount:
    account: Account
    root_access_key_id: str
    root_secret_access_key: str


def create_account(
    deps: Deps,
    *,
    account_id: str | None = None,
    name: str | None = None,
    root_access_key_id: str | None = None,
    root_secret_access_key: str | None = None,
) -> NewAccount:
    """A new account with a root user and one active root access key (given, or generated)."""
    if account_id is not None and not is_account_id(account_id):
        raise InvalidInput(f"Account id {account_id} is not 12 digits.")
    if (root_access_key_id is None) != (root_secret_access_key is None):
        raise InvalidInput("Give both the root access key id and its secret, or neither.")
    now = deps.clock.now()
    with deps.store.unit_of_work(write=True) as uow:
        if account_id is None:
            account_id = deps.ids.account_id()
            while uow.accounts.get(account_id) is not None:
                account_id = deps.ids.account_id()
        elif uow.accounts.get(account_id) is not None:
            raise EntityAlreadyExists(f"Account {account_id} already exists.")
        key_id = root_access_key_id or deps.ids.access_key_id("AKIA")
        secret = root_secret_access_key or deps.ids.secret_access_key()
        if uow.access_keys.get(key_id) is not None:
            raise EntityAlreadyExists(f"Access key {key_id} already exists.")
        account = Account(id=account_id, name=name or account_id, created_at=now)
        uow.accounts.add(account)
        uow.access_keys.add(
            AccessKey(
                id=key_id,
                account_id=account_id,
                user_id=None,
                user_name=None,
                status=KeyStatus.ACTIVE,
                created_at=now,
                secret_ciphertext=deps.secrets.encrypt(
                    secret.encode(), context=secret_context(key_id)
                ),
            )
        )
    return NewAccount(account, key_id, secret)


def list_accounts(deps: Deps) -> Sequence[Account]:
    with deps.store.unit_of_work() as uow:
        return uow.accounts.list()


def delete_account(deps: Deps, account_id: str) -> None:
    """Deletes the account and everything in it."""
    with deps.store.unit_of_work(write=True) as uow:
        if not uow.accounts.delete(account_id):
            raise NoSuchEntity(f"Account {account_id} does not exist.")
