"""On the demo database the overview raises no outcome concern from immature periods."""

from __future__ import annotations

import polars as pl
import pytest

from dashboard import periods
from dashboard.data import build_dataset
from dashboard.filters import Filters
from dashboard.scorecard import scorecard
from metrics import ALL_DISTRICTS, REGISTRY, DomesticAbuse, Grain

OUTCOME_RATES = [metric for metric in REGISTRY if metric.maturity_days > 0]


@pytest.fixture(scope="module")
def dataset(demo_database):
    return build_dataset(demo_database)


@pytest.mark.parametrize("grain", list(Grain))
def test_the_overview_icons_of_outcome_rates_read_a_mature_period(dataset, grain):
    first, last = dataset.first_date, dataset.last_date
    end = periods.latest_complete(first, last, grain)
    filters = Filters(grain, first, end, ALL_DISTRICTS, DomesticAbuse.ALL, last)
    kpis = dataset.kpis_for(grain, DomesticAbuse.ALL)
    card = scorecard(kpis, filters, OUTCOME_RATES)
    mature = kpis.filter(~pl.col("provisional"), pl.col("period_start") <= end)
    for row in card.iter_rows(named=True):
        read = mature.filter(pl.col("metric_id") == row["metric_id"])["period_label"][-1]
        assert row["icons_period"] == read
        assert row["provisional"] == (read != row["period"])


def test_the_demo_overview_shows_no_outcome_concern_that_only_immaturity_causes(dataset):
    # The dashboard's default view: monthly, the force, the latest complete month.
    first, last = dataset.first_date, dataset.last_date
    end = periods.latest_complete(first, last, Grain.MONTH)
    filters = Filters(Grain.MONTH, first, end, ALL_DISTRICTS, DomesticAbuse.ALL, last)
    kpis = dataset.kpis_for(Grain.MONTH, DomesticAbuse.ALL)
    card = scorecard(kpis, filters, OUTCOME_RATES)
    assert "special_cause_concern" not in card["variation"].to_list()
    # Read naively (immature months in the rules), the same data raise a concern: the test
    # would catch a return of the false alarm.
    naive = scorecard(kpis.drop("provisional"), filters, OUTCOME_RATES)
    assert "special_cause_concern" in naive["variation"].to_list()
