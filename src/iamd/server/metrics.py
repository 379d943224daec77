"""Prometheus metrics (``GET /metrics``, text exposition format) with the official
``prometheus_client``.

- ``iamd_requests_total{service, operation, outcome}``: every request; ``outcome`` is
  ``success``, ``denied`` (AccessDenied by the policy engine), ``unauthenticated`` (no valid
  signature or key), ``client_error`` or ``server_error``; ``operation`` is ``unknown`` for an
  action iamd does not have (the label never carries a client's free text);
- ``iamd_request_duration_seconds{service, operation}``: latency histogram, from the request's
  body read to its answer ready;
- ``iamd_authorization_decisions_total{decision}``: the policy engine's answers (``allowed``,
  ``explicitDeny``, ``implicitDeny``), one per question asked;
- ``iamd_cache_lookups_total{cache, result}`` and ``iamd_cache_hit_ratio{cache}``: the credential
  cache (``credentials``), the principals' policy sets (``principal_policies``) and compiled
  policies (``compiled_policies``);
- ``iamd_db_pool_connections{state}`` (``checked_out``, ``checked_in``, ``overflow``) and
  ``iamd_db_pool_size``;
- ``iamd_audit_records_written_total``, ``iamd_audit_write_errors_total``,
  ``iamd_audit_pending_records``.

Counters that other components keep (cache hits, pool, audit writer) are read by :meth:`sample`
at each scrape and every few seconds, never on the request path.

With several worker processes (``iamd serve --workers N``) ``prometheus_client``'s multiprocess
mode is used: ``PROMETHEUS_MULTIPROC_DIR`` names a directory the workers share (``iamd serve``
sets it), and any worker answers ``/metrics`` for all of them (docs/audit.md, "Metrics").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from typing import Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from iamd.server.pipeline import Outcome

__all__ = ["CONTENT_TYPE", "HitCounter", "Metrics", "outcome_label"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

_BUCKETS = (
    0.0005,
    0.001,
    0.002,
    0.003,
    0.005,
    0.0075,
    0.01,
    0.015,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)
_UNAUTHENTICATED = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "MissingAuthenticationToken",
        "IncompleteSignature",
        "ExpiredToken",
        "InvalidSignatureException",
    }
)


class HitCounter(Protocol):
    """A cache that counts its hits and misses (Authenticator, PolicyAuthorizer, ...)."""

    @property
    def hits(self) -> int: ...

    @property
    def misses(self) -> int: ...


def outcome_label(outcome: Outcome) -> str:
    code = outcome.error_code
    if code is None:
        return "success"
    if code == "AccessDenied" and outcome.decision == "Denied":
        return "denied"
    if code in _UNAUTHENTICATED:
        return "unauthenticated"
    return "server_error" if outcome.status >= 500 else "client_error"


class Metrics:
    """The server's metrics, in a registry of their own (no process-global state)."""

    def __init__(self, *, multiprocess: bool | None = None) -> None:
        if multiprocess is None:
            multiprocess = bool(os.environ.get(MULTIPROC_VARIABLE))
        self.multiprocess = multiprocess
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self._requests = Counter(
            "iamd_requests",
            "Requests answered, by service, operation and outcome.",
            ["service", "operation", "outcome"],
            registry=r,
        )
        self._latency = Histogram(
            "iamd_request_duration_seconds",
            "Time from a request's body read to its answer ready.",
            ["service", "operation"],
            buckets=_BUCKETS,
            registry=r,
        )
        self._decisions = Counter(
            "iamd_authorization_decisions",
            "Policy engine decisions, one per question asked.",
            ["decision"],
            registry=r,
        )
        self._cache = Counter(
            "iamd_cache_lookups",
            "Cache lookups by cache and result (hit or miss).",
            ["cache", "result"],
            registry=r,
        )
        self._ratio = Gauge(
            "iamd_cache_hit_ratio",
            "Share of lookups answered from the cache since start.",
            ["cache"],
            registry=r,
            multiprocess_mode="liveall",
        )
        self._pool = Gauge(
            "iamd_db_pool_connections",
            "Database connections by state.",
            ["state"],
            registry=r,
            multiprocess_mode="livesum",
        )
        self._pool_size = Gauge(
            "iamd_db_pool_size",
            "Connections the database pool keeps.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self._audit_written = Counter(
            "iamd_audit_records_written", "Audit records written.", registry=r
        )
        self._audit_errors = Counter(
            "iamd_audit_write_errors", "Failed writes to the audit log.", registry=r
        )
        self._audit_pending = Gauge(
            "iamd_audit_pending_records",
            "Audit records handed over and not yet written.",
            registry=r,
            multiprocess_mode="livesum",
        )
        if not multiprocess:
            ProcessCollector(registry=r)
        self._children: dict[tuple[str, str, str], tuple[Counter, Histogram]] = {}
        self._decision_children: dict[str, Counter] = {}
        self._caches: dict[str, HitCounter] = {}
        self._seen: dict[str, tuple[int, int]] = {}
        self._pool_source: Callable[[], Mapping[str, int]] | None = None
        self._audit_source: Callable[[], tuple[int, int, int]] | None = None
        self._audit_seen = (0, 0)
        self._sample_lock = threading.Lock()

    # -- the request path ---------------------------------------------------------------------

    def observe(self, outcome: Outcome, seconds: float) -> None:
        service = outcome.service or "iam"
        operation = (
            outcome.operation if outcome.read_only is not None and outcome.operation else "unknown"
        )
        label = outcome_label(outcome)
        key = (service, operation, label)
        children = self._children.get(key)
        if children is None:
            children = (
                self._requests.labels(service, operation, label),
                self._latency.labels(service, operation),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)
        for evaluation in outcome.evaluations:
            value = evaluation.decision.decision.value
            counter = self._decision_children.get(value)
            if counter is None:
                counter = self._decision_children[value] = self._decisions.labels(value)
            counter.inc()

    # -- sampled sources ----------------------------------------------------------------------

    def watch_cache(self, name: str, cache: HitCounter) -> None:
        self._caches[name] = cache

    def watch_pool(self, source: Callable[[], Mapping[str, int]]) -> None:
        """``source()`` -> {"size", "checked_out", "checked_in", "overflow"}."""
        self._pool_source = source

    def watch_audit(self, source: Callable[[], tuple[int, int, int]]) -> None:
        """``source()`` -> (records written, write errors, pending)."""
        self._audit_source = source

    def sample(self) -> None:
        """Copy the watched components' counters into the metrics."""
        with self._sample_lock:
            for name, cache in self._caches.items():
                hits, misses = cache.hits, cache.misses
                seen_hits, seen_misses = self._seen.get(name, (0, 0))
                if hits > seen_hits:
                    self._cache.labels(name, "hit").inc(hits - seen_hits)
                if misses > seen_misses:
                    self._cache.labels(name, "miss").inc(misses - seen_misses)
                self._seen[name] = (hits, misses)
                total = hits + misses
                self._ratio.labels(name).set(hits / total if total else 0.0)
            if self._pool_source is not None:
                pool = self._pool_source()
                self._pool_size.set(pool.get("size", 0))
                for state in ("checked_out", "checked_in", "overflow"):
                    self._pool.labels(state).set(max(0, pool.get(state, 0)))
            if self._audit_source is not None:
                written, errors, pending = self._audit_source()
                seen_written, seen_errors = self._audit_seen
                if written > seen_written:
                    self._audit_written.inc(written - seen_written)
                if errors > seen_errors:
                    self._audit_errors.inc(errors - seen_errors)
                self._audit_seen = (written, errors)
                self._audit_pending.set(pending)

    def exposition(self) -> bytes:
        """The text exposition of every metric (of every worker in multiprocess mode)."""
        self.sample()
        if not self.multiprocess:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
