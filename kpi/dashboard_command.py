"""``kpi dashboard``: start the installed app, with the project's settings, from any folder.

Streamlit reads ``.streamlit/config.toml`` beside the app script (shipped in the package) as
well as in the folder it starts in, so the theme and ``showErrorDetails = "none"`` hold
wherever the command runs. The security settings are passed as flags too, so no project or
user config file can turn them off. The database URL goes to the app in the environment,
never on a command line that other users of the server could read.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from presentation.settings import DATABASE_URL_ENV

DEFAULT_PORT = 8501
# Settings no config file may undo: never a traceback on the page, never phone home.
FIXED_FLAGS = (
    "--client.showErrorDetails=none",
    "--server.headless=true",
    "--browser.gatherUsageStats=false",
)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1 to 65535): {text!r}")
    return value


def add_parser(commands) -> argparse.ArgumentParser:
    """Add ``dashboard`` to the ``kpi`` subcommands."""
    parser = commands.add_parser(
        "dashboard",
        help="start the dashboard (Streamlit) with the project's settings",
        description="Serve the dashboard on http://ADDRESS:PORT. Without --database-url it "
        f"reads ${DATABASE_URL_ENV}, then .streamlit/secrets.toml in this folder, then the "
        "demo database data/demo.sqlite in this folder (created on first view).",
    )
    parser.add_argument(
        "--database-url",
        help=f"SQLAlchemy URL of the source database (default: ${DATABASE_URL_ENV}, then "
        ".streamlit/secrets.toml, then the demo database)",
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help="default: 8501")
    parser.add_argument(
        "--address", help="the address to listen on (default: every address, as Streamlit)"
    )
    return parser


def app_script() -> Path:
    """The installed ``dashboard/app.py``, found without importing (and so starting) the app."""
    spec = importlib.util.find_spec("dashboard")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the dashboard package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "app.py"


def streamlit_command(args: argparse.Namespace) -> list[str]:
    """The command that serves the app: this Python's Streamlit, the installed app script."""
    app = str(app_script())
    command = [sys.executable, "-m", "streamlit", "run", app, f"--server.port={args.port}"]
    if args.address:
        command.append(f"--server.address={args.address}")
    return [*command, *FIXED_FLAGS]


def streamlit_environment(args: argparse.Namespace) -> dict[str, str]:
    """This environment, with the database URL when one was given."""
    environment = dict(os.environ)
    if args.database_url:
        environment[DATABASE_URL_ENV] = args.database_url
    return environment


def run(args: argparse.Namespace, progress) -> None:
    """Serve the app until it stops; its exit status becomes the command's."""
    progress.note(f"serving the dashboard on port {args.port} (Ctrl+C stops it)")
    status = subprocess.call(streamlit_command(args), env=streamlit_environment(args))
    if status not in (0, -2, 130):  # Ctrl+C is how it is meant to stop
        raise SystemExit(status)
