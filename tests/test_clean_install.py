"""A new user's install: ``pip install .`` without extras, then every front door, elsewhere.

Tests on the developer's checkout cannot see a runtime import listed only under ``[test]``,
or a path computed from the package's own folder: this one installs a copy of the project
into a fresh virtual environment and runs the commands from a folder outside the checkout.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.install

REPO = Path(__file__).resolve().parents[1]
# Not part of the package: left out so the copy is quick and holds nothing of this machine.
SKIPPED = (".git", ".venv", "data", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")
SKIPPED += (".hypothesis", ".benchmarks", "secrets.toml", "roles.toml")
QUARTER = "2026/27 Q1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment holding ``pip install <copy of the repo>``: its bin folder."""
    root = tmp_path_factory.mktemp("clean")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*SKIPPED))
    venv.create(root / "venv", with_pip=True)
    bin_dir = root / "venv" / "bin"
    # pip's own cache (the default) is reused, so only the project itself is built each time.
    subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "--quiet", str(source)],
        check=True,
        timeout=1200,
        env=_environment(),
    )
    return bin_dir


def _environment() -> dict[str, str]:
    """This environment without anything that points back into the checkout."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KPI_", "STREAMLIT_", "VIRTUAL_ENV", "PYTHON"))
    }
    environment["PATH"] = os.pathsep.join(
        part for part in environment.get("PATH", "").split(os.pathsep) if str(REPO) not in part
    )
    return environment


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory) -> Path:
    """A working folder outside the checkout, holding the demo database after the first test."""
    return tmp_path_factory.mktemp("elsewhere")


def _kpi(installed: Path, elsewhere: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [installed / "kpi", *args],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=600,
        env=_environment(),
    )


def test_the_package_is_imported_from_the_new_environment_not_the_checkout(installed, elsewhere):
    result = subprocess.run(
        [installed / "python", "-c", "import dashboard, kpi, packs; print(packs.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
        env=_environment(),
    )
    assert "site-packages" in result.stdout
    assert str(REPO) not in result.stdout


def test_kpi_demo_data_writes_the_demo_database_in_the_current_folder(installed, elsewhere):
    result = _kpi(installed, elsewhere, "demo-data", "--output", "data/demo.sqlite")
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "data" / "demo.sqlite").stat().st_size > 0


@pytest.mark.parametrize("fmt, magic", [("pdf", b"%PDF-"), ("pptx", b"PK\x03\x04")])
def test_kpi_pack_writes_a_pdf_and_a_powerpoint_without_the_test_extras(
    installed, elsewhere, fmt, magic
):
    url = "sqlite:///data/demo.sqlite"
    output = f"pack.{fmt}"
    args = ("pack", "--database-url", url, "--grain", "quarter", "--period", QUARTER)
    result = _kpi(installed, elsewhere, *args, "--output", output)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / output).read_bytes().startswith(magic)


def test_streamlit_reads_the_shipped_settings_wherever_the_app_starts(installed, elsewhere):
    probe = (
        "import sys; from kpi.dashboard_command import app_script; from streamlit import config;"
        "config._main_script_path = str(app_script()); config.get_config_options(True);"
        "print(config.get_option('client.showErrorDetails'), config.get_option('theme.base'))"
    )
    result = subprocess.run(
        [installed / "python", "-c", probe],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=_environment(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["none", "light"]


def test_kpi_dashboard_answers_http_on_its_port_and_stops(installed, elsewhere):
    port = _free_port()
    server = subprocess.Popen(
        [installed / "kpi", "dashboard", "--port", str(port), "--address", "127.0.0.1"],
        cwd=elsewhere,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_environment(),
        start_new_session=True,
    )
    try:
        health = _get(f"http://127.0.0.1:{port}/_stcore/health", server)
        page = _get(f"http://127.0.0.1:{port}/", server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            output = server.communicate(timeout=30)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output = server.communicate()[0].decode(errors="replace")
    assert health == "ok", output
    assert "<html" in page.lower(), output


def _get(url: str, server: subprocess.Popen, seconds: float = 120) -> str:
    """The body at the URL, waiting for the server to start; fails if the server exits first."""
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            pytest.fail(f"kpi dashboard exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
