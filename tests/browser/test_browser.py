"""The dashboard in Debian's chromium: a real ``streamlit run`` server on a free port.

Marked ``browser``; skipped, with the reason, only where /usr/bin/chromium is not installed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.processes import free_port, running, streamlit_app
from tests.test_dashboard import (
    CONTACT_TITLE,
    contact_within_24h,
    latest_complete_quarter,
    percent,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 90_000
PAGES = {
    "overview": ("", "Overview"),
    "metric": ("metric?metric=victim_contact_24h_rate", CONTACT_TITLE),
    "districts": ("districts", "Districts"),
    "data quality": ("data_quality", "Data quality"),
    "workforce": ("workforce", "Workforce and assurance"),
    "catalogue": ("catalogue", "Metric catalogue"),
}


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    from demo.demo_data import generate_demo

    path = tmp_path_factory.mktemp("browser") / "demo.sqlite"
    generate_demo(path, crimes=10_000, seed=13)
    return path


@pytest.fixture(scope="module")
def server(database, tmp_path_factory) -> Iterator[str]:
    """``streamlit run dashboard/app.py`` on a free port; its base URL."""
    log = tmp_path_factory.mktemp("browser") / "streamlit.log"
    env = {**os.environ, "KPI_DATABASE_URL": f"sqlite:///{database}"}
    with streamlit_app(env, log) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/ensure-chromium installs it with apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    # Tall: Streamlit scrolls inside its own container, so this shows more of each page.
    context = browser.new_context(viewport={"width": 1600, "height": 1400})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    yield tab
    context.close()


def wait_until_ready(tab, heading: str) -> None:
    """Connected, the page's heading drawn, the script finished and no skeleton left."""
    tab.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    tab.get_by_role("heading", name=heading, level=1).wait_for()
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")


def current_url(tab) -> str:
    # page.url misses Streamlit's history.replaceState updates; the location has them.
    return tab.evaluate("window.location.href")


def card_value(tab, title: str) -> str:
    metric = tab.locator('[data-testid="stMetric"]').filter(
        has=tab.locator('[data-testid="stMetricLabel"]', has_text=title)
    )
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


@pytest.mark.parametrize("name", [pytest.param(name, id=f"page: {name}") for name in PAGES])
def test_every_page_loads_in_chromium_with_no_error_element(server, page, name):
    path, heading = PAGES[name]
    page.goto(f"{server}/{path}")
    wait_until_ready(page, heading)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def test_the_metric_page_charts_render_as_svg(server, page):
    page.goto(f"{server}/metric?metric=victim_contact_24h_rate")
    wait_until_ready(page, CONTACT_TITLE)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() == 3  # the trend, the force's SPC chart, the small multiples
    for index in range(3):
        charts.nth(index).locator("svg, canvas").first.wait_for()
    # The trend's line marks are drawn: a path per series (district and force).
    assert charts.nth(0).locator("path.mark-line, g.mark-line path").count() >= 1


def test_the_districts_page_draws_a_funnel_plot_for_every_kpi_that_can_be_compared(server, page):
    from metrics import REGISTRY
    from metrics.compare import comparable

    page.goto(f"{server}/districts")
    wait_until_ready(page, "Districts")
    expected = [metric.id for metric in REGISTRY if comparable(metric)]  # the demo has every table
    drawn = 0
    for metric_id in expected:
        card = page.locator(f".st-key-funnel_{metric_id}")
        card.wait_for()
        chart = card.locator('[data-testid="stVegaLiteChart"]')
        if chart.count() == 0:
            # Sparse KPIs (a few dip samples a quarter) may have no district to compare.
            assert "No district can be compared in this period." in card.inner_text()
            continue
        chart.locator("svg, canvas").first.wait_for()
        # The limits are drawn as lines and the districts as labelled points.
        assert chart.locator("g.mark-line path, path.mark-line").count() >= 1
        assert chart.locator("g.mark-text text").count() >= 1
        drawn += 1
    assert drawn >= len(expected) // 2
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def test_choosing_a_district_updates_the_url_and_the_figures(server, page, database):
    page.goto(server)
    wait_until_ready(page, "Overview")
    quarter = latest_complete_quarter(database)
    assert card_value(page, CONTACT_TITLE) == percent(*contact_within_24h(database, quarter))

    district = page.get_by_role("combobox", name="District")
    district.click()
    district.fill("Bristol")
    page.get_by_role("option", name="Bristol", exact=True).click()
    expected = percent(*contact_within_24h(database, quarter, "Bristol"))
    page.wait_for_function(
        "() => new URLSearchParams(window.location.search).get('district') === 'Bristol'"
    )
    wait_until_ready(page, "Overview")
    page.wait_for_function(
        """([title, value]) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(
            m => m.innerText.includes(title) && m.querySelector(
                '[data-testid="stMetricValue"]').innerText.trim() === value)""",
        arg=[CONTACT_TITLE, expected],
    )
    assert card_value(page, CONTACT_TITLE) == expected
    assert parse_qs(urlparse(current_url(page)).query)["district"] == ["Bristol"]


def test_a_shared_link_reproduces_the_view_and_survives_a_change_of_page(server, page, database):
    page.goto(f"{server}/?district=Bristol&grain=Month&period=2025-01&period=2025-06")
    wait_until_ready(page, "Overview")
    expected = percent(*contact_within_24h(database, "2025-06", "Bristol"))
    assert card_value(page, CONTACT_TITLE) == expected
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Districts").click()
    wait_until_ready(page, "Districts")
    query = parse_qs(urlparse(current_url(page)).query)
    assert query["district"] == ["Bristol"]
    assert query["grain"] == ["Month"]
    assert query["period"] == ["2025-01", "2025-06"]


def test_a_card_links_to_its_metric_page_with_the_same_filters(server, page):
    page.goto(f"{server}/?district=Bristol")
    wait_until_ready(page, "Overview")
    card = page.locator('[data-testid="stVerticalBlock"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=CONTACT_TITLE)
    )
    card.last.get_by_role("link", name="Trend and districts").click()
    wait_until_ready(page, CONTACT_TITLE)
    query = parse_qs(urlparse(current_url(page)).query)
    assert query["metric"] == ["victim_contact_24h_rate"]
    assert query["district"] == ["Bristol"]


def test_a_bad_link_shows_a_note_in_the_browser(server, page):
    page.goto(f"{server}/?district=Atlantis")
    wait_until_ready(page, "Overview")
    assert page.get_by_text("Atlantis").first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
