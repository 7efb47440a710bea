"""Sign-in with Streamlit's OIDC login, and this session's access from the roles file.

Sign-in is configured by an ``[auth]`` section in ``.streamlit/secrets.toml`` (see the README);
roles come from ``KPI_ROLES_FILE``, ``roles_file`` in the secrets, or ``.streamlit/roles.toml``.
Without ``[auth]`` the app runs open, and says so on every page.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard.access import OPEN, Access, RolesError, load_roles, resolve
from dashboard.secrets_file import SecretsError, secret

ROLES_ENV = "KPI_ROLES_FILE"
# Beside .streamlit/secrets.toml, in the folder the app starts in (not the installed package).
DEFAULT_ROLES = Path(".streamlit") / "roles.toml"


def sign_in_configured() -> bool:
    """Whether the secrets configure an identity provider for ``st.login``."""
    return bool(secret("auth"))


def roles_file() -> Path:
    """Where the roles come from: the environment, the secrets, or the default file."""
    configured = os.environ.get(ROLES_ENV) or secret("roles_file")
    return Path(str(configured)) if configured else DEFAULT_ROLES


def _stop_with(message: str, *, sign_out: bool) -> None:
    st.title("Stalking and harassment performance")
    st.error(message, icon=":material/lock:")
    if sign_out:
        st.button("Sign out", on_click=st.logout, icon=":material/logout:")
    st.stop()


def session_access() -> Access:
    """Who this session is and what it may see; stops the run at the sign-in page otherwise.

    It fails closed: a secrets file that cannot be read, or with sign-in configured, no role
    or an unreadable roles file, shows no data.
    """
    try:
        configured = sign_in_configured()
    except SecretsError as error:
        _stop_with(
            f"The app's settings cannot be read, so no figures are shown: {error}. "
            "Fix or remove the file, then reload this page.",
            sign_out=False,
        )
    if not configured:
        return OPEN
    if not st.user.is_logged_in:
        st.title("Stalking and harassment performance")
        st.info(
            "Sign in with your force account to see the figures. What you see depends on your "
            "role: the whole force, or your own district.",
            icon=":material/lock:",
        )
        st.button("Sign in", on_click=st.login, type="primary", icon=":material/login:")
        st.stop()
    try:
        roles = load_roles(roles_file())
    except RolesError as error:
        _stop_with(f"Access cannot be checked, so no figures are shown: {error}", sign_out=True)
    try:
        return resolve(st.user.to_dict(), roles)
    except PermissionError as error:
        _stop_with(f"No figures are shown: {error}.", sign_out=True)
    raise AssertionError("unreachable")  # st.stop() ends the run


def describe_access(access: Access) -> str:
    """One line for the sidebar: who is signed in and what they see, or that the app is open."""
    if not access.sign_in_configured:
        return (
            "**Open access**: sign-in is not configured, so anyone who can reach this app sees "
            "force-wide figures."
        )
    scope = "the whole force" if access.force_wide else ", ".join(sorted(access.districts or ()))
    return f"Signed in as **{access.signed_in_as}** · sees {scope}"
