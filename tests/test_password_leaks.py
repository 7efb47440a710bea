"""No password in any message, log record or page, whatever the database URL gets wrong.

Each URL below fails in its own way: it does not parse, names a driver that is not installed,
points at a closed port, or carries query options the driver refuses. Each is fed to the
``kpi`` commands (as an argument and in the environment) and to the app, and the password
must appear in none of stdout, stderr, the error log, the log records or the page.
"""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from kpi.cli import main
from queries.redact import redact
from tests.test_dashboard import APP

PASSWORD = "S3cretPW"
# A password with a character that must be percent-encoded: neither form may be shown.
ENCODED, DECODED = "S3cr%40tPW%3A", "S3cr@tPW:"
CLOSED = "127.0.0.1:1"  # nothing listens on port 1: the connection is refused at once

FAILING_URLS = [
    pytest.param(f"postgresql//analyst:{PASSWORD}@db/x", id="no colon after the scheme"),
    pytest.param(f"postgresql://analyst:{PASSWORD}@[::1/x", id="unclosed IPv6 bracket"),
    pytest.param(f"postgresql://analyst:{PASSWORD}@db:port/x", id="port not a number"),
    pytest.param(f"oracle://analyst:{PASSWORD}@db/x", id="driver not installed"),
    pytest.param(f"postgresql+nodriver://analyst:{PASSWORD}@db/x", id="no such driver"),
    pytest.param(f"postgresql://analyst:{PASSWORD}@{CLOSED}/x", id="postgresql port closed"),
    pytest.param(f"mysql://analyst:{PASSWORD}@{CLOSED}/x", id="mysql port closed"),
    pytest.param(f"postgresql://analyst:{PASSWORD}@{CLOSED}/x?sslmode=bogus", id="bad sslmode"),
    pytest.param(f"postgresql://analyst:{PASSWORD}@{CLOSED}/x?foo=bar", id="unknown pg option"),
    pytest.param(f"mysql://analyst:{PASSWORD}@{CLOSED}/x?foo=1", id="unknown mysql option"),
    pytest.param(f"postgresql://analyst@{CLOSED}/x?password={PASSWORD}", id="in the query"),
    pytest.param(f"postgresql://analyst:{ENCODED}@{CLOSED}/x", id="percent-encoded"),
]
SECRETS = (PASSWORD, ENCODED, DECODED)
COMMANDS = [
    ["compute", "--grain", "month"],
    ["validate"],
    ["pack", "--grain", "quarter", "--period", "2024/25 Q1", "--output", "PACK"],
]


def assert_no_password(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, text


@pytest.mark.parametrize("url", FAILING_URLS)
@pytest.mark.parametrize("command", COMMANDS, ids=["compute", "validate", "pack"])
@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_failing_url_fails_the_command_without_showing_its_password(
    url, command, how, monkeypatch, tmp_path, capsys, caplog
):
    log = tmp_path / "errors.log"
    monkeypatch.setenv("KPI_ERROR_LOG", str(log))
    args = [str(tmp_path / "pack.pdf") if arg == "PACK" else arg for arg in command]
    if how == "argument":
        monkeypatch.delenv(data.DATABASE_URL_ENV, raising=False)
        args += ["--database-url", url]
    else:
        monkeypatch.setenv(data.DATABASE_URL_ENV, url)
    caplog.set_level(logging.DEBUG)
    status = main(args)
    out, err = capsys.readouterr()
    assert status == 1
    assert err.startswith("kpi: error: ") and err.count("\n") == 1, err
    assert_no_password(out, err, caplog.text, log.read_text() if log.exists() else "")


def test_the_typo_from_the_issue_is_reported_with_the_password_hidden(capsys):
    status = main(["compute", "--grain", "month", "--database-url", FAILING_URLS[0].values[0]])
    assert status == 1
    assert capsys.readouterr().err == (
        "kpi: error: not a database URL (like postgresql://user@host/database): "
        "'postgresql//analyst:***@db/x'\n"
    )


def page_text(at: AppTest) -> str:
    """Everything the page holds, as the protobuf the browser would receive."""
    return "\n".join(str(node.proto) for node in at._tree if getattr(node, "proto", None))


@pytest.mark.parametrize("url", FAILING_URLS)
def test_a_failing_url_shows_a_message_in_the_app_without_its_password(
    url, monkeypatch, capsys, caplog
):
    monkeypatch.setenv(data.DATABASE_URL_ENV, url)
    caplog.set_level(logging.DEBUG)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert at.error, "the page says the data cannot be loaded"
    out, err = capsys.readouterr()
    assert_no_password(page_text(at), out, err, caplog.text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("x postgresql://u:pw1234@h/d y", "x postgresql://u:***@h/d y"),
        ("postgresql//u:p@ss:w@h/d", "postgresql//u:***@h/d"),
        (
            "mysql://u@h/d?charset=utf8&password=pw1234&x=1",
            "mysql://u@h/d?charset=utf8&password=***&x=1",
        ),
        (
            "mssql://h/d?odbc_connect=x&sslpassword=abcd",
            "mssql://h/d?odbc_connect=x&sslpassword=***",
        ),
        ("no url here: 42 rows", "no url here: 42 rows"),
    ],
)
def test_redact_hides_the_password_part_of_urls_in_any_text(text, shown):
    assert redact(text) == shown


def test_redact_hides_a_known_urls_password_wherever_it_appears_verbatim():
    url = "postgresql://u:Hunter22@h/d"
    assert redact("driver said: bad password Hunter22 for u", url) == (
        "driver said: bad password *** for u"
    )
