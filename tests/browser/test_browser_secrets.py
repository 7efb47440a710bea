"""A secrets file with a typo, in chromium: the app stops with a message and shows no figures."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

from tests.browser.processes import free_port, running, streamlit_app
from tests.browser.test_browser import REPO, browser, database, page

pytestmark = pytest.mark.browser

MALFORMED = '[auth]\nclient_id = "dashboard"\nclient_secret = "S3cretPW\n'


@pytest.fixture(scope="module")
def server_with_bad_secrets(database, tmp_path_factory) -> Iterator[str]:
    """The app started in a folder whose .streamlit/secrets.toml does not parse."""
    home = tmp_path_factory.mktemp("bad-secrets")
    (home / ".streamlit").mkdir()
    (home / ".streamlit" / "secrets.toml").write_text(MALFORMED)
    env = {**os.environ, "KPI_DATABASE_URL": f"sqlite:///{database}"}
    with streamlit_app(env, home / "streamlit.log", cwd=home) as base:
        yield base


def test_a_secrets_file_with_a_typo_stops_the_app_in_the_browser(server_with_bad_secrets, page):
    page.goto(server_with_bad_secrets)
    message = page.get_by_text("The app's settings cannot be read, so no figures are shown")
    message.wait_for()
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    assert "not valid TOML" in message.inner_text()
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.get_by_text("Open access").count() == 0
    assert "S3cretPW" not in page.content()
