"""Trust in the app: sign-in and access by district, and the database going away mid-session."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.signin import ROLES_ENV
from metrics import REGISTRY
from tests import fixture_rows
from tests.conftest import POSTGRES_SERVER, _server_or_skip, collected_metrics, write_engine
from tests.test_dashboard import (
    APP,
    CONTACT_TITLE,
    FORCE,
    card,
    clean_path,
    contact_within_24h,
    downloads,
    latest_complete_quarter,
    no_exception,
    percent,
)

ROLES = """
[force]
users = ["chief@force.example"]

[districts]
"bristol.lead@force.example" = ["Bristol"]
"""
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-secret-that-is-long-enough",
    "client_id": "dashboard",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def signed_in_app(monkeypatch, tmp_path, clean_path):
    """Open the app with sign-in configured, as a given user (None: not signed in)."""
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES)
    monkeypatch.setenv(ROLES_ENV, str(roles))
    monkeypatch.setenv(data.DATABASE_URL_ENV, f"sqlite:///{clean_path}")

    def open_(email: str | None, params: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.secrets["auth"] = AUTH
        at.user["is_logged_in"] = email is not None
        if email is not None:
            at.user["email"] = email
        for key, value in (params or {}).items():
            at.query_params[key] = value
        return at.run()

    return open_


def district_options(at: AppTest) -> list[str]:
    return list(at.sidebar.selectbox(key="district").options)


def test_without_sign_in_configured_the_app_is_open_and_says_so(monkeypatch, clean_path):
    monkeypatch.setenv(data.DATABASE_URL_ENV, f"sqlite:///{clean_path}")
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    no_exception(at)
    assert any("Open access" in caption.value for caption in at.sidebar.caption)


def test_a_visitor_who_has_not_signed_in_sees_no_figures(signed_in_app):
    at = signed_in_app(None)
    no_exception(at)
    assert [button.label for button in at.button] == ["Sign in"]
    assert len(at.metric) == 0


def test_a_force_wide_user_sees_the_force_and_every_district(signed_in_app):
    at = signed_in_app("Chief@Force.example")
    no_exception(at)
    assert district_options(at)[0] == FORCE
    assert "Bristol" in district_options(at) and "North Somerset" in district_options(at)
    assert len(at.metric) == len(REGISTRY)


def test_a_district_manager_sees_only_their_district(signed_in_app, clean_path):
    at = signed_in_app("bristol.lead@force.example")
    no_exception(at)
    assert district_options(at) == ["Bristol"]
    quarter = latest_complete_quarter(clean_path)
    assert card(at, CONTACT_TITLE).value == percent(
        *contact_within_24h(clean_path, quarter, "Bristol")
    )
    assert any("bristol.lead@force.example" in c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("asked", ["Somerset West", "All", FORCE, "' OR 1=1 --"])
def test_a_hand_edited_url_cannot_show_another_district(signed_in_app, clean_path, asked):
    at = signed_in_app("bristol.lead@force.example", {"district": asked})
    no_exception(at)
    assert at.sidebar.selectbox(key="district").value == "Bristol"
    assert any(asked in warning.value for warning in at.warning)
    quarter = latest_complete_quarter(clean_path)
    assert card(at, CONTACT_TITLE).value == percent(
        *contact_within_24h(clean_path, quarter, "Bristol")
    )


def test_a_district_managers_downloads_hold_only_their_district(signed_in_app, downloads):
    signed_in_app("bristol.lead@force.example")
    assert downloads, "the overview offers downloads"
    for name, content in downloads.items():
        if name.endswith(".csv"):
            text = content.decode("utf-8-sig")
            assert "North Somerset" not in text and "Somerset West" not in text, name
            assert "force" not in name


def test_a_district_manager_has_no_force_wide_data_quality_page(signed_in_app):
    at = signed_in_app("bristol.lead@force.example")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/data_quality.py")
    force = signed_in_app("chief@force.example")
    force.switch_page("views/data_quality.py").run()
    no_exception(force)
    assert force.title[0].value == "Data quality"


def test_a_signed_in_user_without_a_role_sees_no_figures(signed_in_app):
    at = signed_in_app("stranger@elsewhere.example")
    no_exception(at)
    assert "has no role" in at.error[0].value
    assert len(at.metric) == 0


def test_an_unreadable_roles_file_shows_no_figures(signed_in_app, monkeypatch, tmp_path):
    monkeypatch.setenv(ROLES_ENV, str(tmp_path / "missing.toml"))
    at = signed_in_app("chief@force.example")
    no_exception(at)
    assert "cannot read the roles file" in at.error[0].value
    assert len(at.metric) == 0


# ---------------------------------------------------------------------------------------------
# Outages: a real PostgreSQL database stops accepting connections mid-session.


@pytest.fixture
def outage_database():
    """A PostgreSQL database of its own, so it can be switched off without touching others."""
    server = _server_or_skip(POSTGRES_SERVER, "PostgreSQL")
    name = f"kpi_outage_{uuid.uuid4().hex[:10]}"
    admin = server.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}"
    write_engine(sa.create_engine(url, poolclass=sa.pool.NullPool), fixture_rows.ALL_ROWS)

    def switch(on: bool) -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {on}'))
            if not on:
                connection.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name"
                    ),
                    {"name": name},
                )

    yield url, switch
    switch(True)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _figures(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


@pytest.mark.postgres
def test_when_the_database_goes_away_the_last_figures_stay_with_a_warning(
    outage_database, monkeypatch
):
    url, switch = outage_database
    monkeypatch.setenv(data.DATABASE_URL_ENV, url)
    data.clear_cache()
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    no_exception(at)
    before = _figures(at)
    assert len(before) == len(collected_metrics(fixture_rows.ALL_ROWS))

    switch(False)
    at.sidebar.button(key="reload").click().run()
    no_exception(at)
    assert _figures(at) == before
    [warning] = [w.value for w in at.warning if "cannot be reached now" in w.value]
    assert "data as at 10 Jul 2024" in warning

    at.button(key="retry_source").click().run()  # still down: still the last figures
    assert _figures(at) == before

    switch(True)
    at.button(key="retry_source").click().run()
    no_exception(at)
    assert not [w for w in at.warning if "cannot be reached now" in w.value]
    assert _figures(at) == before


@pytest.mark.postgres
def test_a_database_that_was_never_reached_gives_a_message_not_stale_figures(
    outage_database, monkeypatch
):
    url, switch = outage_database
    switch(False)
    monkeypatch.setenv(data.DATABASE_URL_ENV, url)
    data.clear_cache()
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    no_exception(at)
    assert "cannot be loaded" in at.error[0].value
    assert len(at.metric) == 0


# ---------------------------------------------------------------------------------------------
# Hostile links: every URL parameter is checked against known values, never passed to SQL.

HOSTILE_VALUES = [
    pytest.param("Bristol'; DROP TABLE crimes; --", id="sql injection"),
    pytest.param("x" * 20_000, id="huge string"),
    pytest.param("Brístol 🚓 ڤ", id="unicode"),
    pytest.param("<script>alert(1)</script>", id="markup"),
    pytest.param("0000-01", id="year zero"),
    pytest.param("99999/00 Q9", id="out of range"),
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize("param", ["district", "grain", "period", "da", "metric"])
def test_a_hostile_url_parameter_falls_back_with_a_note_and_no_exception(
    monkeypatch,
    clean_path,
    param,
    value,
):
    import hashlib

    monkeypatch.setenv(data.DATABASE_URL_ENV, f"sqlite:///{clean_path}")
    before = hashlib.sha256(clean_path.read_bytes()).hexdigest()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params[param] = [value, value] if param == "period" else value
    at.run()
    if param == "metric":
        at.switch_page("views/metric.py").run()
    no_exception(at)
    assert not at.error
    assert at.warning, "a note says the link could not be followed"
    assert all("<script>" not in markdown.value for markdown in at.markdown)
    assert hashlib.sha256(clean_path.read_bytes()).hexdigest() == before
