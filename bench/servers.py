"""The servers under test, started as their users start them: ``iamd serve`` and ``moto_server``
on loopback ports, each in its own process, stopped when the run ends."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.signing import Key

__all__ = [
    "ROOT",
    "Running",
    "cpu_seconds",
    "free_port",
    "iamd_server",
    "moto_server",
]

ROOT = Key("AKIAIOSFODNN7BENCHKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYBENCHSECRET")
IAMD_ACCOUNT = "123456789012"
MOTO_ACCOUNT = "123456789012"  # moto's default account
_BIN = Path(sys.executable).parent


@dataclass
class Running:
    name: str
    endpoint: str
    process: subprocess.Popen[bytes]
    account_id: str
    data_dir: Path | None = None

    @property
    def pids(self) -> list[int]:
        """The server process and its children (uvicorn's worker processes)."""
        found = [self.process.pid]
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            found += [int(p) for p in children.read_text().split()]
        return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time used so far by these processes (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as reply:
                if reply.status < 500:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url}: server did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def iamd_server(
    data_dir: Path,
    *,
    workers: int = 1,
    extra_args: Sequence[str] = (),
    extra_env: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[Running]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "IAMD_"))}
    env.update(
        IAMD_ROOT_ACCESS_KEY_ID=ROOT.access_key_id,
        IAMD_ROOT_SECRET_ACCESS_KEY=ROOT.secret_access_key,
        IAMD_ACCOUNT_ID=IAMD_ACCOUNT,
    )
    env.update(extra_env or {})
    args = [sys.executable, "-m", "iamd", "serve", "--port", str(port)]
    args += ["--data-dir", str(data_dir), "--workers", str(workers), *extra_args]
    out = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(f"{endpoint}/healthz", process)
        yield Running("iamd", endpoint, process, IAMD_ACCOUNT, data_dir)
    finally:
        _stop(process)


@contextlib.contextmanager
def moto_server(*, log: Path | None = None) -> Iterator[Running]:
    """moto's server as ``moto_server -p PORT`` starts it (IAM enforcement is switched with its
    ``/moto-api/reset-auth``: moto authenticates only after INITIAL_NO_AUTH_ACTION_COUNT
    calls)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    out = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [str(_BIN / "moto_server"), "-p", str(port)],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(f"{endpoint}/moto-api/", process)
        yield Running("moto", endpoint, process, MOTO_ACCOUNT)
    finally:
        _stop(process)
