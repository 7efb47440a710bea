"""Fail closed: an unreadable secrets file stops the app, and unexpected errors show a reference.

A secrets file with one typo used to look like "sign-in not configured", so the app served
force-wide figures to anyone. Unexpected exceptions used to be shown verbatim.
"""

from __future__ import annotations

import logging
import re

import pytest
import streamlit as st
from streamlit import config
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.secrets_file import SecretsError, secret
from dashboard.signin import ROLES_ENV
from kpi import cli
from tests.test_dashboard import APP, clean_path
from tests.test_dashboard_trust import AUTH, ROLES

MALFORMED = """
[auth]
client_id = "dashboard"
client_secret = "S3cretPW"
server_metadata_url = "https://login.force.example/.well-known/openid-configuration
"""


@pytest.fixture
def secrets_at(monkeypatch, tmp_path):
    """Point Streamlit's secrets at a file written here (a fresh, unparsed st.secrets)."""
    previous = config.get_option("secrets.files")

    def write(text: str | None):
        path = tmp_path / ".streamlit" / "secrets.toml"
        if text is not None:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)
        config.set_option("secrets.files", [str(path)])
        monkeypatch.setattr(st, "secrets", Secrets())
        return path

    yield write
    config.set_option("secrets.files", previous)


def test_no_secrets_file_means_no_secrets(secrets_at):
    secrets_at(None)
    assert secret("auth") is None


def test_a_secrets_file_that_does_not_parse_is_an_error_naming_the_file_not_its_contents(
    secrets_at,
):
    path = secrets_at(MALFORMED)
    with pytest.raises(SecretsError) as raised:
        secret("auth")
    message = str(raised.value)
    assert str(path) in message
    assert "not valid TOML" in message
    assert "line 5" in message  # the unterminated string
    assert "S3cretPW" not in message and "client_secret" not in message


def test_the_database_url_is_never_the_demo_when_the_secrets_cannot_be_read(
    secrets_at, monkeypatch
):
    monkeypatch.delenv(data.DATABASE_URL_ENV, raising=False)
    secrets_at(MALFORMED)
    with pytest.raises(SecretsError):
        data.configured_source()


def test_a_secrets_file_that_does_not_parse_stops_the_app_with_a_message(
    secrets_at, monkeypatch, clean_path
):
    monkeypatch.setenv(data.DATABASE_URL_ENV, f"sqlite:///{clean_path}")
    path = secrets_at(MALFORMED)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    [error] = at.error
    assert error.value.startswith("The app's settings cannot be read, so no figures are shown")
    assert str(path) in error.value
    assert len(at.metric) == 0
    assert not any("Open access" in caption.value for caption in at.sidebar.caption)


def test_a_valid_secrets_file_without_auth_leaves_the_app_open(secrets_at, monkeypatch, clean_path):
    monkeypatch.setenv(data.DATABASE_URL_ENV, f"sqlite:///{clean_path}")
    secrets_at('roles_file = "nowhere.toml"\n')
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception and not at.error
    assert len(at.metric) > 0


REFERENCE = re.compile(r"reference ([0-9A-F]{8})")


def test_an_unexpected_error_in_the_app_shows_a_reference_and_logs_the_detail(
    monkeypatch, clean_path, caplog
):
    monkeypatch.setenv(data.DATABASE_URL_ENV, f"sqlite:///{clean_path}")

    def broken(_source):
        raise RuntimeError("internal detail at postgresql://u:S3cretPW@db/x")

    monkeypatch.setattr(data, "load", broken)
    caplog.set_level(logging.ERROR)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    [error] = at.error
    assert "internal detail" not in error.value and "RuntimeError" not in error.value
    [reference] = REFERENCE.findall(error.value)
    [record] = [r for r in caplog.records if r.name == "dashboard.errors"]
    assert reference in record.getMessage()
    assert "internal detail at postgresql://u:***@db/x" in caplog.text
    assert "S3cretPW" not in caplog.text


def test_an_unexpected_error_in_the_command_is_one_line_with_a_reference(
    monkeypatch, tmp_path, capsys
):
    log = tmp_path / "errors.log"
    monkeypatch.setenv("KPI_ERROR_LOG", str(log))

    def broken(_args, _progress):
        raise RuntimeError("internal detail at postgresql://u:S3cretPW@db/x")

    monkeypatch.setitem(cli.COMMANDS, "metrics", broken)
    assert cli.main(["metrics"]) == 1
    err = capsys.readouterr().err
    [reference] = REFERENCE.findall(err)
    expected = f"unexpected error (reference {reference}); the details are in {log}"
    assert err == f"kpi: error: {expected}\n"
    detail = log.read_text()
    assert reference in detail
    assert "RuntimeError: internal detail at postgresql://u:***@db/x" in detail
    assert "S3cretPW" not in detail


@pytest.mark.parametrize("verified", [False, True])
def test_a_signed_in_user_whose_email_is_unverified_sees_no_figures(
    verified, monkeypatch, tmp_path, clean_path
):
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES)
    monkeypatch.setenv(ROLES_ENV, str(roles))
    monkeypatch.setenv(data.DATABASE_URL_ENV, f"sqlite:///{clean_path}")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user["is_logged_in"] = True
    at.user["email"] = "chief@force.example"
    at.user["email_verified"] = verified
    at.run()
    assert not at.exception
    if verified:
        assert len(at.metric) > 0
        return
    [error] = at.error
    assert "chief@force.example is not verified" in error.value
    assert len(at.metric) == 0
