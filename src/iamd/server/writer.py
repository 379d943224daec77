"""Group commit: every write request on SQLite runs on one thread, and the requests that arrive
while a commit is on its way to the disk form the next batch — one transaction, one ``fsync``.

SQLite lets one writer in at a time, and with ``synchronous=FULL`` each commit waits for the
disk (about 6 ms on the benchmark machine, docs/benchmarks.md): one commit per request caps
writes near 170 per second, and writers queueing on the lock wait in SQLite's busy handler,
which sleeps. Here each request runs in a savepoint of the batch's transaction
(:meth:`iamd.storage.sql.SqlStore.write_batch`): a request that fails rolls back alone; the
answers go out only after the batch is committed, so an acknowledged write is on disk as
before. If the commit fails, every request of the batch is answered ``ServiceUnavailable`` and
the caches filled inside it are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading

from iamd.server.pipeline import HttpRequest, HttpResponse, Outcome, Pipeline
from iamd.storage import StoreUnavailable
from iamd.storage.sql import SqlStore

__all__ = ["GroupCommitWriter"]

log = logging.getLogger("iamd.writer")

_Job = tuple[HttpRequest, asyncio.Future[tuple[HttpResponse, Outcome]], asyncio.AbstractEventLoop]


class GroupCommitWriter:
    def __init__(self, pipeline: Pipeline, store: SqlStore, *, max_batch: int = 64) -> None:
        self._pipeline = pipeline
        self._store = store
        self._max = max_batch
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.batches = 0
        self.requests = 0
        self._thread = threading.Thread(target=self._run, name="iamd-writer", daemon=True)
        self._thread.start()

    async def handle(self, request: HttpRequest) -> tuple[HttpResponse, Outcome]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[tuple[HttpResponse, Outcome]] = loop.create_future()
        self._queue.put((request, done, loop))
        return await done

    def close(self, timeout: float = 30.0) -> None:
        """Finish every request handed over, then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            jobs = [first]
            stop = False
            with contextlib.suppress(queue.Empty):
                while len(jobs) < self._max:
                    job = self._queue.get_nowait()
                    if job is None:
                        stop = True
                        break
                    jobs.append(job)
            self._batch(jobs)
            if stop:
                return

    def _batch(self, jobs: list[_Job]) -> None:
        answers: list[tuple[HttpResponse, Outcome]] = []
        try:
            with self._store.write_batch():
                for request, _, _ in jobs:
                    answers.append(self._pipeline.handle(request))
        except StoreUnavailable as err:
            # Nothing of the batch is stored: withdraw every answer.
            log.error("write batch of %d not committed: %s", len(jobs), err)
            self._pipeline.forget_caches()
            if len(answers) < len(jobs):
                answers += [
                    self._pipeline.handle_unavailable(r) for r, _, _ in jobs[len(answers) :]
                ]
            answers = [(self._pipeline.withdraw(outcome), outcome) for _, outcome in answers]
        self.batches += 1
        self.requests += len(jobs)
        for (_, done, loop), answer in zip(jobs, answers, strict=True):
            loop.call_soon_threadsafe(_resolve, done, answer)


def _resolve(
    done: asyncio.Future[tuple[HttpResponse, Outcome]], answer: tuple[HttpResponse, Outcome]
) -> None:
    if not done.done():
        done.set_result(answer)
