"""Pre-signed raw HTTP/1.1 requests for the load generators: SigV4 by botocore's own signer, made
once before a run so that the client spends no CPU on signing while it measures.

A SigV4 signature stays valid for 15 minutes after its X-Amz-Date, and neither iamd nor moto
refuses a replayed request, so one signed request may be sent many times; a workload that needs
distinct requests (CreateUser with fresh names) signs as many as it sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

__all__ = ["Key", "query_body", "signed_request"]

_FORM = "application/x-www-form-urlencoded; charset=utf-8"
_VERSIONS = {"iam": "2010-05-08", "sts": "2011-06-15"}


@dataclass(frozen=True, slots=True)
class Key:
    access_key_id: str
    secret_access_key: str


def query_body(action: str, params: Mapping[str, str] | None = None, service: str = "iam") -> str:
    """The AWS Query form of one call, as botocore sends it."""
    fields = {"Action": action, "Version": _VERSIONS[service]}
    fields.update(params or {})
    return urlencode(fields)


def signed_request(
    host: str, body: str, key: Key, *, service: str = "iam", region: str = "us-east-1"
) -> bytes:
    """One complete HTTP/1.1 POST (keep-alive), signed for ``host`` (``127.0.0.1:PORT``)."""
    request = AWSRequest(
        method="POST", url=f"http://{host}/", data=body.encode(), headers={"Content-Type": _FORM}
    )
    SigV4Auth(Credentials(key.access_key_id, key.secret_access_key), service, region).add_auth(
        request
    )
    lines = ["POST / HTTP/1.1", f"Host: {host}"]
    for name, value in request.headers.items():
        if name.lower() not in ("host", "content-length"):
            lines.append(f"{name}: {value}")
    lines.append(f"Content-Length: {len(body.encode())}")
    lines.append("User-Agent: iamd-bench")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()
