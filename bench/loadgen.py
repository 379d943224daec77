"""Load generators: ``wrk`` (C, epoll; Debian's package) replaying pre-signed requests from a
Lua script, and a small asyncio client for machines without ``wrk``.

Both keep N connections busy (HTTP/1.1 keep-alive, one request in flight per connection) for a
fixed time and report requests per second, latency percentiles, non-2xx answers and their own
CPU time, so the reader sees how much of the 2-core machine the client took from the server.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Result", "run_load", "wrk_available"]

_LUA = r"""
local path = "%(path)s"
local f = assert(io.open(path, "rb"))
local data = f:read("*a")
f:close()
local requests = {}
local pos = 1
while pos <= #data do
  local nl = data:find("\n", pos, true)
  local n = tonumber(data:sub(pos, nl - 1))
  requests[#requests + 1] = data:sub(nl + 1, nl + n)
  pos = nl + n + 1
end
local i = 0
request = function()
  i = i %% #requests + 1
  return requests[i]
end
done = function(summary, latency, requests)
  local p = function(q) return latency:percentile(q) / 1000.0 end
  io.write(string.format(
    '\nRESULT {"requests": %%d, "duration_us": %%d, "non2xx": %%d, "socket_errors": %%d, ' ..
    '"p50": %%.3f, "p90": %%.3f, "p99": %%.3f, "max": %%.3f, "mean": %%.3f}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    p(50), p(90), p(99), latency.max / 1000.0, latency.mean / 1000.0))
end
"""


@dataclass(frozen=True, slots=True)
class Result:
    tool: str
    requests: int
    seconds: float
    non2xx: int
    socket_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    client_cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def client_cpu_share(self) -> float:
        """The client's CPU time as a share of one core over the run."""
        return self.client_cpu_seconds / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_load(
    url: str,
    requests: Sequence[bytes],
    *,
    seconds: float,
    connections: int,
    tool: str = "wrk",
    timeout: float = 10.0,
) -> Result:
    """Replays ``requests`` in order (cycling) on ``connections`` connections for ``seconds``;
    a request unanswered after ``timeout`` seconds counts as a socket error."""
    if tool == "wrk":
        return _wrk(url, requests, seconds, connections, timeout)
    return asyncio.run(_asyncio_load(url, requests, seconds, connections))


def _wrk(
    url: str, requests: Sequence[bytes], seconds: float, connections: int, timeout: float
) -> Result:
    with tempfile.TemporaryDirectory(prefix="iamd-bench-") as tmp:
        data = Path(tmp) / "requests.bin"
        with data.open("wb") as out:
            for raw in requests:
                out.write(f"{len(raw)}\n".encode() + raw)
        script = Path(tmp) / "replay.lua"
        script.write_text(_LUA % {"path": str(data)})
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            f"{timeout:g}s",
        ]
        completed = subprocess.run(
            [*command, "-s", str(script), url],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + timeout + 120,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    found = json.loads(line.removeprefix("RESULT "))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Result(
        "wrk",
        int(found["requests"]),
        found["duration_us"] / 1e6,
        int(found["non2xx"]),
        int(found["socket_errors"]),
        found["p50"],
        found["p90"],
        found["p99"],
        found["max"],
        cpu,
    )


async def _connection(
    host: str,
    port: int,
    requests: Sequence[bytes],
    start: int,
    stride: int,
    deadline: float,
    latencies: list[float],
    statuses: list[int],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = start
    try:
        while time.monotonic() < deadline:
            raw = requests[i % len(requests)]
            i += stride
            sent = time.perf_counter()
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - sent)
            statuses.append(int(head.split(b" ", 2)[1]))
    finally:
        writer.close()


async def _asyncio_load(
    url: str, requests: Sequence[bytes], seconds: float, connections: int
) -> Result:
    hostport = url.removeprefix("http://").rstrip("/")
    host, port = hostport.rsplit(":", 1)
    latencies: list[float] = []
    statuses: list[int] = []
    cpu_before = time.process_time()
    began = time.monotonic()
    deadline = began + seconds
    await asyncio.gather(
        *(
            _connection(host, int(port), requests, c, connections, deadline, latencies, statuses)
            for c in range(connections)
        )
    )
    elapsed = time.monotonic() - began
    cpu = time.process_time() - cpu_before
    ordered = sorted(latencies) or [0.0]

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return Result(
        "asyncio",
        len(latencies),
        elapsed,
        sum(1 for s in statuses if not 200 <= s < 400),
        0,
        pct(0.50),
        pct(0.90),
        pct(0.99),
        ordered[-1] * 1000,
        cpu,
    )


def cpu_count() -> int:
    return os.cpu_count() or 1
