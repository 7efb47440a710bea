"""SPC charts, icons and the board pack in Debian's chromium, on a real ``streamlit run`` server."""

from __future__ import annotations

import pytest

from metrics import REGISTRY
from tests.browser.test_browser import browser as browser  # fixtures: chromium,
from tests.browser.test_browser import database as database  # the demo database,
from tests.browser.test_browser import page as page  # a tall tab,
from tests.browser.test_browser import server as server  # and the app on a free port
from tests.browser.test_browser import wait_until_ready
from tests.test_dashboard import latest_complete_quarter

pytestmark = pytest.mark.browser


def test_the_metric_page_draws_the_spc_charts_of_the_district_and_the_force(server, page):
    page.goto(f"{server}/metric?metric=stalking_crimes&district=Bristol")
    wait_until_ready(page, "Stalking crimes recorded")
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    # The trend, the SPC charts of Bristol and of the force, the districts' small multiples.
    assert charts.count() == 4
    for index in (1, 2):
        chart = charts.nth(index)
        chart.locator("svg").first.wait_for()
        # One symbol per quarter: 5 years and more of quarters at least.
        assert chart.locator("g.mark-symbol path").count() >= 20
        assert chart.locator("g.mark-line path").count() >= 2  # the values and the limits
        assert "Limits recalculated from 1 Jun 2023" in chart.inner_text()
    headings = page.locator("h5").all_inner_texts()
    assert headings[:2] == ["Bristol", "All districts (force)"]
    legend = page.locator(".spc-point-legend")
    assert legend.locator("svg").count() == 3
    assert "Neither (high)" in legend.inner_text()


def test_the_overview_shows_two_icons_on_every_card_and_a_legend(server, page):
    page.goto(server)
    wait_until_ready(page, "Overview")
    lines = page.locator("div.spc-icons")
    assert lines.count() == len(REGISTRY)
    for index in range(lines.count()):
        icons = lines.nth(index).locator("svg.spc-icon")
        assert icons.count() == 2
        for icon in icons.all():
            box = icon.bounding_box()
            assert box is not None and box["width"] >= 24 and box["height"] >= 24
            assert icon.get_attribute("aria-label")
    card = page.locator('div.spc-icons[data-name="victim_contact_24h_rate"]')
    assert card.count() == 1
    legend = page.locator("div.spc-legend")
    assert legend.is_visible()
    text = legend.inner_text()
    for words in ("Common cause", "Concern", "Target missed consistently", "Hit and miss"):
        assert words in text
    assert "KPIs show real change in" in page.locator('[data-testid="stMain"]').inner_text()


def test_the_overviews_board_pack_downloads_as_a_pdf(server, page, database):
    page.goto(f"{server}/?district=Bristol")
    wait_until_ready(page, "Overview")
    page.get_by_text("Board pack for this view").click()
    page.get_by_role("button", name="Prepare pack").click()
    download_button = page.locator('[data-testid="stDownloadButton"]').filter(
        has_text="Download PDF"
    )
    download_button.wait_for(timeout=300_000)  # a pack of every KPI takes a while to build
    with page.expect_download() as info:
        download_button.locator("button").click()
    quarter = latest_complete_quarter(database).replace("/", "-").replace(" ", "-")
    assert info.value.suggested_filename == f"board-pack_{quarter}_Bristol.pdf"
    with open(info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
