"""Background servers for the browser tests: started on a free port, waited for, stopped."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(command: list[str], ready_url: str, log_path: Path, **popen) -> Iterator[None]:
    """Run ``command`` until the block ends; fail the test if ``ready_url`` never answers 200."""
    with log_path.open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **popen)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(ready_url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{command[2:4]} did not start; see {log_path}")
                time.sleep(0.25)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


REPO = Path(__file__).resolve().parents[2]


@contextmanager
def streamlit_app(
    env: dict[str, str],
    log_path: Path,
    cwd: Path = REPO,
    host: str = "127.0.0.1",
    port: int | None = None,
) -> Iterator[str]:
    """``streamlit run dashboard/app.py`` from ``cwd`` (on a free port unless given): its URL."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
        "--server.port", str(port), "--server.address", host,
    ]  # fmt: skip
    base = f"http://{host}:{port}"
    with running(command, f"{base}/_stcore/health", log_path, cwd=cwd, env=env):
        yield base
