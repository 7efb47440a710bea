"""An independent, plain-SQL implementation of the v1 KPI catalogue, run by DuckDB.

Written from ``kpi-definitions.md`` alone, sharing no code with ``metrics``: the tests use
it as the second method every KPI is checked against, and the benchmark as the peer to beat.
It takes the valid rows of the five contract tables (any Arrow-compatible frames).
"""

from __future__ import annotations

import duckdb
import polars as pl

SPEC_ORDER = [
    ("stalking_crimes", "count", 1),
    ("harassment_crimes", "count", 1),
    ("malicious_communications_crimes", "count", 1),
    ("stalking_element_crimes", "count", 1),
    ("sh_crimes_per_1000", "population", 1000),
    ("positive_outcome_rate", "ratio", 1),
    ("charge_summons_rate", "ratio", 1),
    ("victim_not_supporting_rate", "ratio", 1),
    ("outcome_pending_rate", "ratio", 1),
    ("order_breaches", "count", 1),
    ("breach_arrest_rate", "ratio", 1),
    ("spo_applications", "count", 1),
    ("spo_granted", "count", 1),
    ("spo_application_rate", "ratio", 100),
    ("high_risk_cid_rate", "ratio", 1),
    ("high_risk_days_to_cid", "median", 1),
    ("victim_contact_24h_rate", "ratio", 1),
    ("victim_contact_median_hours", "median", 1),
    ("needs_assessment_rate", "ratio", 1),
    ("referral_rate", "ratio", 1),
    ("classified_24h_rate", "ratio", 1),
    ("positive_outcomes_assigned", "count", 1),
    ("charges_assigned", "count", 1),
]

_STEP = {"month": "1 month", "quarter": "3 months", "financial_year": "1 year"}

_SQL = """
WITH
c AS (
  SELECT *,
    CASE WHEN offence_code = '8Q' THEN 'stalking'
         WHEN offence_code IN ('8L', '8M') THEN 'harassment'
         WHEN offence_code = '8R' THEN 'malicious_communications'
         WHEN offence_code = '8U' THEN 'controlling_coercive_behaviour'
         ELSE 'other' END AS grp
  FROM crimes
),
c2 AS (SELECT *, (grp IN ('stalking', 'harassment') OR stalking_element) AS sh FROM c),
earliest AS (
  SELECT a.crime_id, bool_or(a.unit = 'CID') AS first_is_cid
  FROM allocations a
  JOIN (SELECT crime_id, min(allocated_at) AS t FROM allocations GROUP BY crime_id) m
    ON a.crime_id = m.crime_id AND a.allocated_at = m.t
  GROUP BY a.crime_id
),
first_cid AS (
  SELECT crime_id, min(allocated_at) AS cid_at FROM allocations WHERE unit = 'CID'
  GROUP BY crime_id
),
vc AS (
  SELECT v.*, c2.reported_at, c2.district, c2.sh
  FROM victims v JOIN c2 ON v.crime_id = c2.crime_id
),
events (m, ts, d, n, den, v) AS (
  SELECT 'stalking_crimes', recorded_at, district, 1, 0, NULL::DOUBLE FROM c2
    WHERE grp = 'stalking' AND recorded_at IS NOT NULL
  UNION ALL SELECT 'harassment_crimes', recorded_at, district, 1, 0, NULL FROM c2
    WHERE grp = 'harassment' AND recorded_at IS NOT NULL
  UNION ALL SELECT 'malicious_communications_crimes', recorded_at, district, 1, 0, NULL FROM c2
    WHERE grp = 'malicious_communications' AND recorded_at IS NOT NULL
  UNION ALL SELECT 'stalking_element_crimes', recorded_at, district, 1, 0, NULL FROM c2
    WHERE grp NOT IN ('stalking', 'harassment') AND stalking_element AND recorded_at IS NOT NULL
  UNION ALL SELECT 'sh_crimes_per_1000', recorded_at, district, 1, 0, NULL FROM c2
    WHERE grp IN ('stalking', 'harassment') AND recorded_at IS NOT NULL
  UNION ALL SELECT 'positive_outcome_rate', recorded_at, district,
    (coalesce(outcome_code IN ('1','1A','2','2A','3','3A','6','7','8'), false))::INT, 1, NULL
    FROM c2 WHERE sh AND recorded_at IS NOT NULL
  UNION ALL SELECT 'charge_summons_rate', recorded_at, district,
    (coalesce(outcome_code IN ('1','1A'), false))::INT, 1, NULL
    FROM c2 WHERE sh AND recorded_at IS NOT NULL
  UNION ALL SELECT 'victim_not_supporting_rate', recorded_at, district,
    (coalesce(outcome_code IN ('14','16'), false))::INT, 1, NULL
    FROM c2 WHERE sh AND recorded_at IS NOT NULL
  UNION ALL SELECT 'outcome_pending_rate', recorded_at, district,
    (outcome_code IS NULL)::INT, 1, NULL FROM c2 WHERE sh AND recorded_at IS NOT NULL
  UNION ALL SELECT 'positive_outcomes_assigned', outcome_at, district, 1, 0, NULL FROM c2
    WHERE sh AND recorded_at IS NOT NULL AND outcome_at IS NOT NULL
      AND outcome_code IN ('1','1A','2','2A','3','3A','6','7','8')
  UNION ALL SELECT 'charges_assigned', outcome_at, district, 1, 0, NULL FROM c2
    WHERE sh AND recorded_at IS NOT NULL AND outcome_at IS NOT NULL
      AND outcome_code IN ('1','1A')
  UNION ALL SELECT 'order_breaches', recorded_at, district, 1, 0, NULL FROM c2
    WHERE breach_of_order_id IS NOT NULL AND recorded_at IS NOT NULL
  UNION ALL SELECT 'breach_arrest_rate', recorded_at, district,
    (arrested_at IS NOT NULL)::INT, 1, NULL FROM c2
    WHERE breach_of_order_id IS NOT NULL AND recorded_at IS NOT NULL
  UNION ALL SELECT 'spo_applications', applied_at, district, 1, 0, NULL FROM protective_orders
    WHERE order_type IN ('SPO', 'ISPO')
  UNION ALL SELECT 'spo_granted', decided_at, district, 1, 0, NULL FROM protective_orders
    WHERE order_type IN ('SPO', 'ISPO') AND decision = 'granted' AND decided_at IS NOT NULL
  UNION ALL SELECT 'spo_application_rate', applied_at, district, 1, 0, NULL FROM protective_orders
    WHERE order_type IN ('SPO', 'ISPO')
  UNION ALL SELECT 'spo_application_rate', recorded_at, district, 0, 1, NULL FROM c2
    WHERE grp = 'stalking' AND recorded_at IS NOT NULL
  UNION ALL SELECT 'high_risk_cid_rate', c2.reported_at, c2.district,
    (coalesce(e.first_is_cid, false))::INT, 1, NULL
    FROM c2 LEFT JOIN earliest e ON c2.crime_id = e.crime_id
    WHERE c2.sh AND c2.risk_level = 'high'
  UNION ALL SELECT 'high_risk_days_to_cid', c2.reported_at, c2.district, 0, 1,
    (epoch_us(f.cid_at) - epoch_us(c2.reported_at)) / 86400000000.0
    FROM c2 JOIN first_cid f ON c2.crime_id = f.crime_id
    WHERE c2.sh AND c2.risk_level = 'high'
  UNION ALL SELECT 'victim_contact_24h_rate', reported_at, district,
    (coalesce(first_contact_at - reported_at <= INTERVAL 24 HOUR, false))::INT, 1, NULL
    FROM vc WHERE sh
  UNION ALL SELECT 'victim_contact_median_hours', reported_at, district, 0, 1,
    (epoch_us(first_contact_at) - epoch_us(reported_at)) / 3600000000.0
    FROM vc WHERE sh AND first_contact_at IS NOT NULL
  UNION ALL SELECT 'needs_assessment_rate', reported_at, district,
    (needs_assessment_at IS NOT NULL)::INT, 1, NULL FROM vc WHERE sh
  UNION ALL SELECT 'referral_rate', reported_at, district,
    (referred_at IS NOT NULL)::INT, 1, NULL FROM vc WHERE sh AND NOT support_declined
  UNION ALL SELECT 'classified_24h_rate', reported_at, district,
    (coalesce(classified_at - reported_at <= INTERVAL 24 HOUR, false))::INT, 1, NULL
    FROM c2 WHERE sh
),
dated AS (SELECT m, period_of(ts) AS p, d, n, den, v FROM events),
agg AS (
  SELECT m, p, d, sum(n) AS n, sum(den) AS den, median(v) AS v FROM dated GROUP BY m, p, d
  UNION ALL
  SELECT m, p, 'All', sum(n), sum(den), median(v) FROM dated GROUP BY m, p
),
span AS (
  SELECT period_of(min(t)) AS lo, period_of(max(t)) AS hi FROM (
    SELECT reported_at AS t FROM crimes UNION ALL SELECT recorded_at FROM crimes
    UNION ALL SELECT applied_at FROM protective_orders
    UNION ALL SELECT decided_at FROM protective_orders)
),
periods AS (
  SELECT unnest(generate_series(lo::TIMESTAMP, hi::TIMESTAMP, INTERVAL '{step}'))::DATE AS p
  FROM span WHERE lo IS NOT NULL
),
places AS (
  SELECT 'All' AS d, (SELECT sum(population) FROM districts) AS population, 0 AS known
  UNION ALL SELECT district, population, 1 FROM districts
  UNION ALL SELECT DISTINCT x.district, NULL, 2 FROM (
    SELECT district FROM crimes UNION SELECT district FROM protective_orders) x
    WHERE x.district NOT IN (SELECT district FROM districts)
)
SELECT k.metric_id, periods.p AS period_start, places.d AS district,
  CASE WHEN k.kind = 'median' THEN NULL ELSE coalesce(agg.n, 0) END AS numerator,
  CASE k.kind WHEN 'count' THEN NULL WHEN 'population' THEN places.population
    ELSE coalesce(agg.den, 0) END AS denominator,
  CASE k.kind
    WHEN 'count' THEN coalesce(agg.n, 0)::DOUBLE
    WHEN 'population' THEN CASE WHEN places.population > 0
      THEN coalesce(agg.n, 0) / places.population * k.scale END
    WHEN 'ratio' THEN CASE WHEN agg.den > 0 THEN agg.n / agg.den * k.scale END
    WHEN 'median' THEN CASE WHEN agg.den > 0 THEN agg.v END
  END AS value,
  k.ord, places.known
FROM kinds k CROSS JOIN periods CROSS JOIN places
LEFT JOIN agg ON agg.m = k.metric_id AND agg.p = periods.p AND agg.d = places.d
ORDER BY k.ord, period_start, places.known, district
"""

_PERIOD_MACRO = {
    "month": "date_trunc('month', t)::DATE",
    "quarter": "date_trunc('quarter', t)::DATE",
    "financial_year": "make_date(year(t) - CASE WHEN month(t) < 4 THEN 1 ELSE 0 END, 4, 1)",
}


def label(period_start: pl.Expr, grain: str) -> pl.Expr:
    """Financial-year labels, written out again here so the peer shares nothing."""
    year = period_start.dt.year() - (period_start.dt.month() < 4).cast(pl.Int32)
    fy = pl.format("{}/{}", year, ((year + 1) % 100).cast(pl.String).str.zfill(2))
    if grain == "month":
        return period_start.dt.strftime("%Y-%m")
    if grain == "financial_year":
        return fy
    quarter = (
        pl.when(period_start.dt.month() == 4)
        .then(pl.lit("Q1"))
        .when(period_start.dt.month() == 7)
        .then(pl.lit("Q2"))
        .when(period_start.dt.month() == 10)
        .then(pl.lit("Q3"))
        .otherwise(pl.lit("Q4"))
    )
    return pl.format("{} {}", fy, quarter)


def duckdb_kpis(tables: dict[str, object], grain: str, connection=None) -> pl.DataFrame:
    """Every KPI at one grain, computed in DuckDB SQL from the valid rows of the five tables."""
    con = connection or duckdb.connect()
    for name, frame in tables.items():
        con.register(name, frame)
    con.register(
        "kinds",
        pl.DataFrame(
            {
                "metric_id": [m for m, _, _ in SPEC_ORDER],
                "kind": [k for _, k, _ in SPEC_ORDER],
                "scale": [float(s) for _, _, s in SPEC_ORDER],
                "ord": list(range(len(SPEC_ORDER))),
            }
        ),
    )
    con.execute(f"CREATE OR REPLACE TEMP MACRO period_of(t) AS {_PERIOD_MACRO[grain]}")
    result = pl.from_arrow(con.sql(_SQL.format(step=_STEP[grain])).to_arrow_table())
    return result.select(
        "metric_id",
        pl.col("period_start").cast(pl.Date),
        label(pl.col("period_start").cast(pl.Date), grain).alias("period_label"),
        "district",
        pl.col("numerator").cast(pl.Int64),
        pl.col("denominator").cast(pl.Int64),
        pl.col("value").cast(pl.Float64),
    )
