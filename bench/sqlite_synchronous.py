"""What SQLite's ``synchronous=FULL`` costs against ``NORMAL``, per write transaction.

Usage: .venv/bin/python bench/sqlite_synchronous.py [--transactions 2000] [--dir /path]

Each transaction is the shape of an iamd write request: ``BEGIN IMMEDIATE``, bump the account's
change counter, insert a user and three tags, commit — through the same engine the server uses
(WAL mode, :func:`iamd.storage.sql.make_engine`). Writers: 1 thread, then 4 threads (SQLite
serialises them; the numbers show how commits queue behind the fsync). The data directory
should be on the disk a server would use (default: a temporary directory under the current one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import insert, update
from sqlalchemy.engine import Engine

from iamd.storage.sql import check_schema, make_engine, sqlite_url
from iamd.storage.sql import schema as t

ACCOUNT = "123456789012"


def _setup(data_dir: Path, synchronous: str) -> Engine:
    engine = make_engine(sqlite_url(data_dir), sqlite_synchronous=synchronous)
    check_schema(engine, create_if_empty=True)
    with engine.connect().execution_options(iamd_write=True) as conn, conn.begin():
        conn.execute(
            insert(t.accounts).values(
                id=ACCOUNT, name="bench", created_at=dt.datetime.now(dt.UTC), version=0
            )
        )
    return engine


def _write(engine: Engine, count: int) -> None:
    now = dt.datetime.now(dt.UTC)
    for _ in range(count):
        user_id = "AIDA" + secrets.token_hex(8).upper()
        with engine.connect().execution_options(iamd_write=True) as conn, conn.begin():
            conn.execute(
                update(t.accounts)
                .where(t.accounts.c.id == ACCOUNT)
                .values(version=t.accounts.c.version + 1)
            )
            conn.execute(
                insert(t.users).values(
                    id=user_id,
                    account_id=ACCOUNT,
                    name=user_id,
                    name_lower=user_id.lower(),
                    path="/",
                    created_at=now,
                )
            )
            conn.execute(
                insert(t.tags),
                [
                    {
                        "resource_kind": "user",
                        "resource_id": user_id,
                        "key_lower": key,
                        "account_id": ACCOUNT,
                        "key": key,
                        "value": "v",
                        "position": i,
                    }
                    for i, key in enumerate(("a", "b", "c"))
                ],
            )


def _run(base: Path, synchronous: str, transactions: int, threads: int) -> float:
    data_dir = Path(tempfile.mkdtemp(prefix=f"sync-{synchronous}-", dir=base))
    engine = _setup(data_dir, synchronous)
    per_thread = transactions // threads
    workers = [threading.Thread(target=_write, args=(engine, per_thread)) for _ in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    engine.dispose()
    return per_thread * threads / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--dir", type=Path, default=Path.cwd())
    args = parser.parse_args()
    for threads in (1, 4):
        rates = {
            mode: _run(args.dir, mode, args.transactions, threads) for mode in ("FULL", "NORMAL")
        }
        full, normal = rates["FULL"], rates["NORMAL"]
        print(
            f"{threads} writer(s): FULL {full:7.0f} tx/s ({1e6 / full:6.0f} us/tx)   "
            f"NORMAL {normal:7.0f} tx/s ({1e6 / normal:6.0f} us/tx)   "
            f"FULL costs {1e6 / full - 1e6 / normal:+.0f} us per write"
        )


if __name__ == "__main__":
    main()
