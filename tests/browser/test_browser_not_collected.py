"""A source without victims, in Debian's chromium: the victim KPIs say "not collected"."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics import REGISTRY
from tests.browser.processes import free_port, running, streamlit_app
from tests.browser.test_browser import REPO, browser, page, wait_until_ready

pytestmark = pytest.mark.browser

VICTIM_METRICS = [m for m in REGISTRY if any(i.startswith("victims.") for i in m.inputs)]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    from demo.demo_data import generate_demo

    folder = tmp_path_factory.mktemp("no_victims")
    full = folder / "full.sqlite"
    generate_demo(full, crimes=5_000, seed=3)
    partial = folder / "no_victims.sqlite"
    shutil.copy(full, partial)
    with sqlite3.connect(partial) as connection:
        connection.execute("DROP TABLE victims")
    connection.close()
    env = {**os.environ, "KPI_DATABASE_URL": f"sqlite:///{partial}"}
    with streamlit_app(env, folder / "streamlit.log") as base:
        yield base


def test_the_overview_names_the_victim_kpis_as_not_collected(server, page):
    page.goto(server)
    wait_until_ready(page, "Overview")
    box = page.locator(".st-key-not_collected")
    box.wait_for()
    text = box.inner_text()
    assert "Not collected" in text
    for metric in VICTIM_METRICS:
        assert f"{metric.title} — not collected: the source has no table victims" in text
    # No victim KPI has a card (a card would show a value, or a zero).
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    assert not {m.title for m in VICTIM_METRICS} & {label.strip() for label in labels}
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_victim_kpis_page_says_not_collected_instead_of_showing_figures(server, page):
    metric = VICTIM_METRICS[0]
    page.goto(f"{server}/metric?metric={metric.id}")
    wait_until_ready(page, metric.title)
    assert page.get_by_text("Not collected.").first.is_visible()
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
