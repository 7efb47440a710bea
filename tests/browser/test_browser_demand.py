"""The Demand page in Debian's chromium, on a real ``streamlit run`` server."""

from __future__ import annotations

import pytest

from tests.browser.test_browser import browser as browser  # fixtures: chromium,
from tests.browser.test_browser import database as database  # the demo database,
from tests.browser.test_browser import page as page  # a tall tab,
from tests.browser.test_browser import server as server  # and the app on a free port
from tests.browser.test_browser import wait_until_ready

pytestmark = pytest.mark.browser


def test_the_demand_page_draws_the_force_and_every_district_with_no_error(server, page):
    page.goto(f"{server}/demand?grain=Month")
    wait_until_ready(page, "Demand")
    main = page.locator('[data-testid="stMain"]')
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    headings = page.locator("h5").all_inner_texts()
    assert headings[0] == "All districts (force)"
    assert len(headings) >= 2  # the force, then each district
    assert len(headings) == len(set(headings))  # each place once
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() == len(headings)
    first = charts.first
    first.locator("svg").first.wait_for()
    assert "80% range" in first.inner_text() and "95% range" in first.inner_text()
    text = main.inner_text()
    assert "Over the last 12 months this method" in text
    assert "was off by" in text


def test_the_demand_page_puts_the_chosen_district_first(server, page):
    page.goto(f"{server}/demand?grain=Quarter&district=Bristol")
    wait_until_ready(page, "Demand")
    assert page.locator('[data-testid="stException"]').count() == 0
    headings = page.locator("h5").all_inner_texts()
    assert headings[:2] == ["Bristol", "All districts (force)"]
    assert len(headings) == len(set(headings))  # each place once
    assert "quarters this method" in page.locator('[data-testid="stMain"]').inner_text()
