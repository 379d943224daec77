"""``/metrics`` parses with Prometheus's own text parser and moves as requests are made;
``/healthz`` and ``/readyz`` answer."""

from __future__ import annotations

import contextlib
import urllib.request

from botocore.exceptions import ClientError
from prometheus_client.parser import text_string_to_metric_families

from iamd_testkit import Account, Server


def _get(server: Server, path: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(server.endpoint + path, timeout=10) as reply:
        return reply.status, reply.headers["Content-Type"], reply.read().decode()


def _samples(server: Server) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    _, _, text = _get(server, "/metrics")
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(server: Server, name: str, **labels: str) -> float:
    return _samples(server).get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_parse_and_name_their_families(server: Server, account: Account) -> None:
    account.iam().list_users()
    status, content_type, text = _get(server, "/metrics")
    assert status == 200
    assert content_type.startswith("text/plain")
    families = {f.name: f.type for f in text_string_to_metric_families(text)}
    assert families["iamd_requests"] == "counter"
    assert families["iamd_request_duration_seconds"] == "histogram"
    assert families["iamd_authorization_decisions"] == "counter"
    assert families["iamd_cache_lookups"] == "counter"
    assert families["iamd_cache_hit_ratio"] == "gauge"
    assert families["iamd_db_pool_connections"] == "gauge"
    assert families["iamd_audit_records_written"] == "counter"


def test_request_counters_move(server: Server, account: Account) -> None:
    labels = {"service": "iam", "operation": "ListGroups", "outcome": "success"}
    before = _value(server, "iamd_requests_total", **labels)
    iam = account.iam()
    for _ in range(3):
        iam.list_groups()
    assert _value(server, "iamd_requests_total", **labels) == before + 3
    count = _value(
        server, "iamd_request_duration_seconds_count", service="iam", operation="ListGroups"
    )
    assert count >= before + 3


def test_outcomes_and_decisions_move(server: Server, account: Account) -> None:
    iam = account.iam()
    iam.create_user(UserName="nobody")
    key = iam.create_access_key(UserName="nobody")["AccessKey"]
    denied = {"service": "iam", "operation": "ListRoles", "outcome": "denied"}
    before = _value(server, "iamd_requests_total", **denied)
    implicit = _value(server, "iamd_authorization_decisions_total", decision="implicitDeny")
    try:
        account.iam(key["AccessKeyId"], key["SecretAccessKey"]).list_roles()
    except ClientError as err:
        assert err.response["Error"]["Code"] == "AccessDenied"
    assert _value(server, "iamd_requests_total", **denied) == before + 1
    after = _value(server, "iamd_authorization_decisions_total", decision="implicitDeny")
    assert after == implicit + 1


def test_an_unknown_action_is_counted_without_its_name(server: Server, account: Account) -> None:
    unknown = {"service": "iam", "operation": "unknown", "outcome": "unauthenticated"}
    before = _value(server, "iamd_requests_total", **unknown)
    data = b"Action=NoSuchThing&Version=2010-05-08"
    request = urllib.request.Request(server.endpoint + "/", data=data, method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as err:
        assert err.code in (400, 403)
    assert _value(server, "iamd_requests_total", **unknown) == before + 1
    assert not any("NoSuchThing" in str(key) for key in _samples(server))


def test_cache_and_pool_are_sampled(server: Server, account: Account) -> None:
    iam = account.iam()
    iam.list_users()
    iam.list_users()
    assert _value(server, "iamd_cache_lookups_total", cache="credentials", result="hit") >= 1
    policies = {"cache": "principal_policies", "result": "miss"}
    before = _value(server, "iamd_cache_lookups_total", **policies)
    iam.create_user(UserName="reader")
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    reader = account.iam(key["AccessKeyId"], key["SecretAccessKey"])
    for _ in range(2):
        with contextlib.suppress(ClientError):
            reader.list_users()
    assert _value(server, "iamd_cache_lookups_total", **policies) == before + 1
    assert 0 < _value(server, "iamd_cache_hit_ratio", cache="credentials") <= 1
    assert _value(server, "iamd_db_pool_size") >= 1


def test_health_and_readiness(server: Server) -> None:
    assert _get(server, "/healthz")[0] == 200
    status, _, text = _get(server, "/readyz")
    assert (status, text) == (200, "ok\n")
