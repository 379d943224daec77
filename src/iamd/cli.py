"""``iamd``: serve | account create/list/delete | migrate | policy check | audit."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from iamd.errors import AwsError
from iamd.server import DEFAULT_PORT, ServerConfig, open_data

__all__ = ["main"]


def _data_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("IAMD_DATA_DIR", "iamd-data")),
        help="directory for the SQLite database, master key and root credentials "
        "(default ./iamd-data)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("IAMD_DATABASE_URL"),
        help="SQLAlchemy URL of the database (default: SQLite in the data directory), "
        "e.g. postgresql+psycopg://host/db",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iamd", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve IAM and STS")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--log-level", default="warning")
    serve.add_argument(
        "--audit-log",
        default=os.environ.get("IAMD_AUDIT_LOG"),
        help="where the audit log goes: a file, or - for standard output "
        "(default <data-dir>/audit.log)",
    )
    _data_args(serve)

    account = commands.add_parser("account", help="manage accounts")
    account_commands = account.add_subparsers(dest="account_command", required=True)
    create = account_commands.add_parser("create", help="create an account with a root key")
    create.add_argument("--id", dest="account_id")
    create.add_argument("--name")
    _data_args(create)
    listing = account_commands.add_parser("list", help="list accounts")
    _data_args(listing)
    remove = account_commands.add_parser("delete", help="delete an account and all in it")
    remove.add_argument("account_id")
    _data_args(remove)

    migrate = commands.add_parser("migrate", help="upgrade the database schema")
    _data_args(migrate)
    _maintenance_parsers(commands)

    policy = commands.add_parser("policy", help="work with policy documents offline")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True)
    check = policy_commands.add_parser(
        "check", help="validate policy files as IAM does; non-zero exit on any error"
    )
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument(
        "--kind",
        choices=("managed", "inline", "trust", "resource", "session"),
        default="managed",
        help="what the documents are (default: managed policies)",
    )
    audit = commands.add_parser("audit", help="print the audit log's records that match")
    audit.add_argument("--principal", action="append", default=[], help="caller ARN or key id")
    audit.add_argument("--event-name", action="append", default=[], help="e.g. CreateUser")
    audit.add_argument(
        "--error-code", action="append", default=[], help="e.g. AccessDenied; - for none"
    )
    audit.add_argument("--since", help="ISO 8601 time, or 15m / 2h / 7d ago")
    audit.add_argument("--until", help="ISO 8601 time, or 15m / 2h / 7d ago")
    audit.add_argument(
        "--audit-log",
        type=Path,
        default=os.environ.get("IAMD_AUDIT_LOG"),
        help="the log to read, with its rotated files (default <data-dir>/audit.log)",
    )
    _data_args(audit)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    env = os.environ
    env["IAMD_DATA_DIR"] = str(args.data_dir)
    if args.database_url:
        env["IAMD_DATABASE_URL"] = args.database_url
    env["IAMD_HOST"] = args.host
    env["IAMD_PORT"] = str(args.port)
    if args.audit_log:
        env["IAMD_AUDIT_LOG"] = args.audit_log
    from iamd.server.logging import uvicorn_log_config

    metrics_dir = None
    if args.workers > 1 and not env.get("PROMETHEUS_MULTIPROC_DIR"):
        # prometheus_client's multiprocess mode: the workers share one directory.
        import tempfile

        metrics_dir = tempfile.TemporaryDirectory(prefix="iamd-metrics-")
        env["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir.name
    if args.workers > 1:
        # Open (and on first start, make) the data set once before the workers start.
        from iamd.server import first_start

        config = ServerConfig(data_dir=args.data_dir, database_url=args.database_url)
        opened = open_data(config, env)
        first_start(opened, config, env)
        opened.store.close()
    where = f"{args.data_dir}/iamd.sqlite3"
    if args.database_url:
        from sqlalchemy.engine import make_url

        where = make_url(args.database_url).render_as_string(hide_password=True)
    print(
        f"iamd: serving IAM and STS on http://{args.host}:{args.port} (data: {where})",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(
        "iamd.server.app:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers if args.workers > 1 else None,
        log_level=args.log_level,
        log_config=uvicorn_log_config(args.log_level),
        access_log=False,
        timeout_graceful_shutdown=30,
    )
    if metrics_dir is not None:
        metrics_dir.cleanup()
    return 0


def _account(args: argparse.Namespace) -> int:
    from iamd.services import create_account, delete_account, list_accounts

    config = ServerConfig(data_dir=args.data_dir, database_url=args.database_url)
    opened = open_data(config, os.environ)
    try:
        if args.account_command == "create":
            new = create_account(opened.deps, account_id=args.account_id, name=args.name)
            print(
                json.dumps(
                    {
                        "AccountId": new.account.id,
                        "Name": new.account.name,
                        "RootAccessKeyId": new.root_access_key_id,
                        "RootSecretAccessKey": new.root_secret_access_key,
                    },
                    indent=2,
                )
            )
        elif args.account_command == "list":
            accounts = list_accounts(opened.deps)
            print(
                json.dumps(
                    {
                        "Accounts": [
                            {
                                "AccountId": a.id,
                                "Name": a.name,
                                "CreateDate": a.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                            }
                            for a in accounts
                        ]
                    },
                    indent=2,
                )
            )
        else:
            delete_account(opened.deps, args.account_id)
    except AwsError as error:
        print(f"iamd: {error.code}: {error.message}", file=sys.stderr)
        return 1
    finally:
        opened.store.close()
    return 0


def _maintenance_parsers(commands: Any) -> None:
    """backup, restore and rotate-master-key (docs/operations.md)."""
    backup = commands.add_parser(
        "backup", help="write a consistent snapshot of every account (secrets stay encrypted)"
    )
    backup.add_argument("file", help="the backup file (.gz compresses; - for standard output)")
    _data_args(backup)
    restore = commands.add_parser(
        "restore", help="restore a backup into the database (SQLite or PostgreSQL)"
    )
    restore.add_argument("file", help="the backup file (- for standard input)")
    restore.add_argument(
        "--replace", action="store_true", help="overwrite a database that already holds accounts"
    )
    _data_args(restore)
    rotate = commands.add_parser(
        "rotate-master-key",
        help="re-encrypt every stored secret under a new master key while nodes serve",
    )
    rotate.add_argument(
        "--keep-old-key",
        action="store_true",
        help="keep the old key for decryption (session tokens it sealed stay valid)",
    )
    rotate.add_argument(
        "--reencrypt-only",
        action="store_true",
        help="make no new key: re-encrypt under the active key what older keys still seal "
        "(then retire them, unless --keep-old-key)",
    )
    _data_args(rotate)


def _maintenance(args: argparse.Namespace) -> int:
    import datetime as dt

    from iamd.credentials import MasterKeyError
    from iamd.server import maintenance
    from iamd.server.bootstrap import KeyMismatch
    from iamd.server.rekey import RotationError
    from iamd.storage.sql import SchemaMismatch
    from iamd.storage.sql.backup import BackupError

    config = ServerConfig(data_dir=args.data_dir, database_url=args.database_url)
    try:
        if args.command == "migrate":
            before, after = maintenance.migrate(config)
            print(f"iamd: schema {before or 'empty'} -> {after}")
        elif args.command == "backup":
            summary = maintenance.backup(config, args.file, now=dt.datetime.now(dt.UTC))
            print(
                f"iamd: backed up {summary.accounts} account(s), {summary.total_rows} rows "
                f"(schema {summary.header.schema_revision}) to {args.file}",
                file=sys.stderr,
            )
        elif args.command == "restore":
            summary = maintenance.restore(config, os.environ, args.file, replace=args.replace)
            print(
                f"iamd: restored {summary.accounts} account(s), {summary.total_rows} rows "
                f"from a backup of {summary.header.created_at}",
                file=sys.stderr,
            )
        else:
            report = maintenance.rotate_master_key(
                config,
                os.environ,
                new_key=not args.reencrypt_only,
                retire=not args.keep_old_key,
            )
            print(
                f"iamd: {report.rewritten} secret(s) re-encrypted under master key "
                f"{report.active_key_id}; old keys {'retired' if report.retired else 'kept'}",
                file=sys.stderr,
            )
    except (
        BackupError,
        SchemaMismatch,
        RotationError,
        KeyMismatch,
        MasterKeyError,
        OSError,
    ) as error:
        print(f"iamd: {error}", file=sys.stderr)
        return 1
    return 0


def _policy_check(args: argparse.Namespace) -> int:
    """The same validation and messages as CreatePolicy, PutUserPolicy, CreateRole, ..."""
    from iamd.errors import AwsError as _AwsError
    from iamd.policy import PolicyKind
    from iamd.services.iam.documents import (
        checked_document,
        checked_managed_document,
        checked_trust_policy,
    )

    failed = 0
    for path in args.files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            print(f"{path}: cannot read: {err}", file=sys.stderr)
            failed += 1
            continue
        try:
            if args.kind == "managed":
                checked_managed_document(text)
            elif args.kind == "trust":
                checked_trust_policy(text)
            else:
                kinds = {
                    "inline": PolicyKind.IDENTITY,
                    "resource": PolicyKind.RESOURCE,
                    "session": PolicyKind.SESSION,
                }
                checked_document(text, kinds[args.kind])
        except _AwsError as error:
            print(f"{path}: {error.code}: {error.message}")
            failed += 1
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


def _audit(args: argparse.Namespace) -> int:
    import datetime as dt

    from iamd.server.audit_log import AUDIT_LOG_FILE
    from iamd.server.audit_search import AuditFilter, log_files, parse_time, search

    current = Path(args.audit_log) if args.audit_log else args.data_dir / AUDIT_LOG_FILE
    if str(current) == "-":
        print("iamd: the audit log goes to standard output; nothing to read", file=sys.stderr)
        return 1
    now = dt.datetime.now(dt.UTC)
    try:
        criteria = AuditFilter(
            principals=frozenset(args.principal),
            event_names=frozenset(args.event_name),
            error_codes=frozenset(args.error_code),
            since=parse_time(args.since, now) if args.since else None,
            until=parse_time(args.until, now) if args.until else None,
        )
    except ValueError as err:
        print(f"iamd: bad time: {err}", file=sys.stderr)
        return 2
    paths = log_files(current)
    if not paths:
        print(f"iamd: no audit log at {current}", file=sys.stderr)
        return 1
    try:
        for line in search(paths, criteria):
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (head, less) has had enough
        sys.stderr.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "account":
        return _account(args)
    if args.command == "policy":
        return _policy_check(args)
    if args.command == "audit":
        return _audit(args)
    return _maintenance(args)


if __name__ == "__main__":
    sys.exit(main())
