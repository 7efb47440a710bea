"""The whole sign-in flow in chromium, offline, against a local OIDC provider on 127.0.0.1.

``oidc-provider-mock`` plays the force's identity provider: its sign-in form takes a user
name, which becomes the email claim. The app runs with ``[auth]`` in a secrets file of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.browser.processes import free_port, running, streamlit_app
from tests.browser.test_browser import (
    REPO,
    browser,
    database,
    page,
    wait_until_ready,
)

pytestmark = pytest.mark.browser

ROLES = """
[force]
users = ["chief@force.example"]

[districts]
"bristol.lead@force.example" = ["Bristol"]
"""


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory) -> Iterator[str]:
    """``python -m oidc_provider_mock`` in a process of its own, on 127.0.0.1."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "oidc_provider_mock",
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
    ]
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with running(command, f"{base}/.well-known/openid-configuration", log):
        yield base


@pytest.fixture(scope="module")
def signed_in_server(database, identity_provider, tmp_path_factory) -> Iterator[str]:
    """The app with sign-in configured: its own folder holds the secrets and the roles."""
    port = free_port()
    home = tmp_path_factory.mktemp("signin")
    (home / ".streamlit").mkdir()
    base = f"http://localhost:{port}"
    (home / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{base}/oauth2callback"\n'
        'cookie_secret = "a-long-random-test-secret-0123456789"\n'
        'client_id = "dashboard"\n'
        'client_secret = "dashboard-secret"\n'
        f'server_metadata_url = "{identity_provider}/.well-known/openid-configuration"\n'
    )
    (home / "roles.toml").write_text(ROLES)
    env = {
        **os.environ,
        "KPI_DATABASE_URL": f"sqlite:///{database}",
        "KPI_ROLES_FILE": str(home / "roles.toml"),
    }
    log = home / "streamlit.log"
    with streamlit_app(env, log, cwd=home, host="localhost", port=port) as served:
        yield served


def sign_in(tab, base: str, user: str) -> None:
    tab.goto(base)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_selector('input[name="sub"]')  # the identity provider's own form
    tab.fill('input[name="sub"]', user)
    tab.get_by_role("button", name="Authorize").click()
    tab.wait_for_url(f"{base}/**")


def test_a_district_manager_signs_in_and_sees_only_their_district(signed_in_server, page):
    sign_in(page, signed_in_server, "bristol.lead@force.example")
    wait_until_ready(page, "Overview")
    assert page.get_by_text("Signed in as").first.is_visible()
    district = page.get_by_role("combobox", name="District")
    assert "Bristol" in district.input_value() or page.get_by_text("Bristol").first.is_visible()
    district.click()
    options = page.get_by_role("option").all_inner_texts()
    assert [option.strip() for option in options] == ["Bristol"]


def test_a_hand_edited_link_does_not_reveal_another_district(signed_in_server, page):
    sign_in(page, signed_in_server, "bristol.lead@force.example")
    wait_until_ready(page, "Overview")
    page.goto(f"{signed_in_server}/districts?district=Somerset+West")
    wait_until_ready(page, "Districts")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "Somerset West" in body  # only in the note that the link could not be followed
    assert page.get_by_text("cannot show as given").first.is_visible()
    table = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    for index in range(table.count()):
        assert "North Somerset" not in table.nth(index).inner_text()


def test_a_user_without_a_role_sees_no_figures(signed_in_server, page):
    sign_in(page, signed_in_server, "stranger@elsewhere.example")
    page.get_by_text("has no role").wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0


def test_a_visitor_sees_only_the_sign_in_page(signed_in_server, page):
    page.goto(signed_in_server)
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0
