"""Reading ``.streamlit/secrets.toml``, failing closed: a file that is there but unreadable stops.

Streamlit raises the same error for "no secrets file" and "a secrets file with a typo". The
first means sign-in is not configured; the second must never be taken for it, or one typo in
``[auth]`` would serve force-wide figures to anyone who can reach the app.
"""

from __future__ import annotations

import os
import tomllib

import streamlit as st
from streamlit import config


class SecretsError(Exception):
    """A secrets file exists but cannot be read; the message says which and why, never what."""


def secrets_files() -> list[str]:
    """Where Streamlit looks for secrets (``secrets.files``: a TOML file or a folder each)."""
    return [str(path) for path in config.get_option("secrets.files") or []]


def secret(key: str) -> object:
    """A value from the secrets, None when there are no secrets; SecretsError when unreadable."""
    try:
        return st.secrets.get(key)
    except Exception:
        present = [path for path in secrets_files() if os.path.exists(path)]
        if not present:
            return None  # no secrets at all: nothing is configured
        raise SecretsError(_problem(present)) from None


def _problem(present: list[str]) -> str:
    """Which secrets file cannot be read and why: the parser's position, never its contents."""
    for path in present:
        if os.path.isdir(path):
            continue
        try:
            with open(path, "rb") as file:
                tomllib.load(file)
        except tomllib.TOMLDecodeError as error:
            return f"the secrets file {path} is not valid TOML ({error})"
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            return f"the secrets file {path} cannot be read ({reason})"
    return f"the secrets in {', '.join(present)} cannot be read"
