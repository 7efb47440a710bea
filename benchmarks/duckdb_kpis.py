"""An independent, plain-SQL implementation of the KPI catalogue (v1 and v1.1), run by DuckDB.

Written from ``kpi-definitions.md`` and ``data-contract.md`` alone, sharing no code with
``metrics`` or ``queries``: the tests use it as the second method every KPI is checked
against, and the benchmark as the peer to beat. It takes the valid rows of the contract
tables (any Arrow-compatible frames). A table or optional column that is not handed in is
absent: the metrics that need it give no rows at all, and every other metric is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl


@dataclass(frozen=True)
class SpecMetric:
    """One metric of the spec: how its value is formed and which inputs it needs."""

    id: str
    kind: str  # count, distinct_count, population, ratio, median or stock
    scale: float = 1.0
    needs: tuple[str, ...] = ("crimes",)  # tables, or "table.column" for optional columns
    course: str | None = None  # for stock metrics: the training course counted


_CRIMES = ("crimes",)
_ORDERS = ("protective_orders",)
_TRAINING = ("training_records", "workforce")

# Every metric the spec defines, in the spec's order.
SPEC_METRICS = [
    SpecMetric("stalking_crimes", "count"),
    SpecMetric("harassment_crimes", "count"),
    SpecMetric("malicious_communications_crimes", "count"),
    SpecMetric("stalking_element_crimes", "count"),
    SpecMetric("sh_crimes_per_1000", "population", 1000),
    SpecMetric("positive_outcome_rate", "ratio"),
    SpecMetric("charge_summons_rate", "ratio"),
    SpecMetric("victim_not_supporting_rate", "ratio"),
    SpecMetric("outcome_pending_rate", "ratio"),
    SpecMetric("order_breaches", "count"),
    SpecMetric("breach_arrest_rate", "ratio"),
    SpecMetric("spo_applications", "count", needs=_ORDERS),
    SpecMetric("spo_granted", "count", needs=_ORDERS),
    SpecMetric("spo_application_rate", "ratio", 100, needs=_ORDERS),
    SpecMetric("high_risk_cid_rate", "ratio", needs=("allocations",)),
    SpecMetric("high_risk_days_to_cid", "median", needs=("allocations",)),
    SpecMetric("victim_contact_24h_rate", "ratio", needs=("victims",)),
    SpecMetric("victim_contact_median_hours", "median", needs=("victims",)),
    SpecMetric("needs_assessment_rate", "ratio", needs=("victims",)),
    SpecMetric("referral_rate", "ratio", needs=("victims",)),
    SpecMetric("classified_24h_rate", "ratio"),
    # Catalogue v1.1: outcomes assigned in the period.
    SpecMetric("positive_outcomes_assigned", "count"),
    SpecMetric("charges_assigned", "count"),
    # Catalogue v1.1: assurance, workforce and victim voice (optional tables and columns).
    SpecMetric("online_element_rate", "ratio", needs=("crimes.online_element",)),
    SpecMetric("spo_iom_referral_rate", "ratio", needs=("protective_orders.iom_referred_at",)),
    SpecMetric("stalking_elearning_takeup", "stock", needs=_TRAINING, course="stalking_elearning"),
    SpecMetric("spo_training_takeup", "stock", needs=_TRAINING, course="spo_training"),
    SpecMetric("case_reviews_completed", "distinct_count", needs=("case_reviews",)),
    SpecMetric("review_compliance_rate", "ratio", needs=("case_reviews",)),
    SpecMetric("spo_considered_rate", "ratio", needs=("case_reviews",)),
    SpecMetric("victim_satisfaction_rate", "ratio", needs=("victim_survey",)),
    SpecMetric("sh_recording_compliance", "ratio", needs=("crime_data_audits",)),
]
SPEC_ORDER = [(metric.id, metric.kind, metric.scale) for metric in SPEC_METRICS]

# The contract's tables and columns as DuckDB types, written out from data-contract.md; an
# absent table or optional column is stood in for by an empty table or a null column.
_TABLES = {
    "districts": {"district": "VARCHAR", "population": "BIGINT"},
    "crimes": {
        "crime_id": "VARCHAR",
        "district": "VARCHAR",
        "reported_at": "TIMESTAMP",
        "recorded_at": "TIMESTAMP",
        "classified_at": "TIMESTAMP",
        "offence_code": "VARCHAR",
        "stalking_element": "BOOLEAN",
        "domestic_abuse": "BOOLEAN",
        "risk_level": "VARCHAR",
        "breach_of_order_id": "VARCHAR",
        "arrested_at": "TIMESTAMP",
        "outcome_code": "VARCHAR",
        "outcome_at": "TIMESTAMP",
        "online_element": "BOOLEAN",
    },
    "allocations": {"crime_id": "VARCHAR", "unit": "VARCHAR", "allocated_at": "TIMESTAMP"},
    "victims": {
        "victim_id": "VARCHAR",
        "crime_id": "VARCHAR",
        "first_contact_at": "TIMESTAMP",
        "needs_assessment_at": "TIMESTAMP",
        "referred_at": "TIMESTAMP",
        "referral_service": "VARCHAR",
        "support_declined": "BOOLEAN",
    },
    "protective_orders": {
        "order_id": "VARCHAR",
        "order_type": "VARCHAR",
        "district": "VARCHAR",
        "crime_id": "VARCHAR",
        "applied_at": "TIMESTAMP",
        "decision": "VARCHAR",
        "decided_at": "TIMESTAMP",
        "iom_referred_at": "TIMESTAMP",
    },
    "workforce": {"department": "VARCHAR", "headcount": "BIGINT"},
    "training_records": {
        "staff_ref": "VARCHAR",
        "department": "VARCHAR",
        "course": "VARCHAR",
        "completed_at": "TIMESTAMP",
    },
    "case_reviews": {
        "review_id": "VARCHAR",
        "crime_id": "VARCHAR",
        "reviewed_at": "TIMESTAMP",
        "theme": "VARCHAR",
        "question": "VARCHAR",
        "answer": "VARCHAR",
    },
    "victim_survey": {
        "response_id": "VARCHAR",
        "crime_id": "VARCHAR",
        "responded_at": "TIMESTAMP",
        "question": "VARCHAR",
        "score": "BIGINT",
    },
    "crime_data_audits": {
        "audit_id": "VARCHAR",
        "district": "VARCHAR",
        "audited_at": "TIMESTAMP",
        "should_record_sh": "BOOLEAN",
        "recorded_sh": "BOOLEAN",
    },
}

_STEP = {"month": "1 month", "quarter": "3 months", "financial_year": "1 year"}

_POSITIVE = "('1','1A','2','2A','3','3A','6','7','8')"

_COMMON = """
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
span AS (
  SELECT period_of(min(t)) AS lo, period_of(max(t)) AS hi FROM (
    SELECT reported_at AS t FROM crimes UNION ALL SELECT recorded_at FROM crimes
    UNION ALL SELECT applied_at FROM protective_orders
    UNION ALL SELECT decided_at FROM protective_orders
    UNION ALL SELECT reviewed_at FROM case_reviews
    UNION ALL SELECT responded_at FROM victim_survey
    UNION ALL SELECT audited_at FROM crime_data_audits)
),
periods AS (
  SELECT unnest(generate_series(lo::TIMESTAMP, hi::TIMESTAMP, INTERVAL '{step}'))::DATE AS p
  FROM span WHERE lo IS NOT NULL
),
-- Completions counted by the training metrics: in a department of workforce, once each.
staff AS (
  SELECT DISTINCT staff_ref, department, course, completed_at FROM training_records
  WHERE department IN (SELECT department FROM workforce)
)
"""

_SQL = (
    "WITH"
    + _COMMON
    + """,
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
rv AS (
  SELECT r.*, c2.district FROM case_reviews r LEFT JOIN c2 ON r.crime_id = c2.crime_id
),
first_review AS (
  SELECT * FROM rv
  QUALIFY row_number() OVER (PARTITION BY review_id ORDER BY reviewed_at, crime_id) = 1
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
    (coalesce(outcome_code IN {positive}, false))::INT, 1, NULL
    FROM c2 WHERE sh AND recorded_at IS NOT NULL
  UNION ALL SELECT 'charge_summons_rate', recorded_at, district,
    (coalesce(outcome_code IN ('1','1A'), false))::INT, 1, NULL
    FROM c2 WHERE sh AND recorded_at IS NOT NULL
  UNION ALL SELECT 'victim_not_supporting_rate', recorded_at, district,
    (coalesce(outcome_code IN ('14','16'), false))::INT, 1, NULL
    FROM c2 WHERE sh AND recorded_at IS NOT NULL
  UNION ALL SELECT 'outcome_pending_rate', recorded_at, district,
    (outcome_code IS NULL)::INT, 1, NULL FROM c2 WHERE sh AND recorded_at IS NOT NULL
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
  UNION ALL SELECT 'positive_outcomes_assigned', outcome_at, district, 1, 0, NULL FROM c2
    WHERE sh AND recorded_at IS NOT NULL AND outcome_code IN {positive}
  UNION ALL SELECT 'charges_assigned', outcome_at, district, 1, 0, NULL FROM c2
    WHERE sh AND recorded_at IS NOT NULL AND outcome_code IN ('1', '1A')
  UNION ALL SELECT 'online_element_rate', recorded_at, district,
    online_element::INT, 1, NULL
    FROM c2 WHERE sh AND recorded_at IS NOT NULL AND online_element IS NOT NULL
  UNION ALL SELECT 'spo_iom_referral_rate', decided_at, district,
    (iom_referred_at IS NOT NULL)::INT, 1, NULL FROM protective_orders
    WHERE order_type IN ('SPO', 'ISPO') AND decision = 'granted'
  UNION ALL SELECT 'case_reviews_completed', reviewed_at, district, 1, 0, NULL
    FROM first_review
  UNION ALL SELECT 'review_compliance_rate', reviewed_at, district,
    (answer = 'yes')::INT, 1, NULL FROM rv WHERE answer IN ('yes', 'no')
  UNION ALL SELECT 'spo_considered_rate', reviewed_at, district,
    (answer = 'yes')::INT, 1, NULL FROM rv
    WHERE question = 'spo_considered' AND answer IN ('yes', 'no')
  UNION ALL SELECT 'victim_satisfaction_rate', s.responded_at, c2.district,
    (s.score >= 4)::INT, 1, NULL
    FROM victim_survey s LEFT JOIN c2 ON s.crime_id = c2.crime_id
    WHERE s.question = 'overall_satisfaction'
  UNION ALL SELECT 'sh_recording_compliance', audited_at, district,
    (should_record_sh AND recorded_sh)::INT, 1, NULL FROM crime_data_audits
    WHERE should_record_sh
),
dated AS (SELECT m, period_of(ts) AS p, d, n, den, v FROM events),
agg AS (
  -- A record with no district (a survey answer with no valid crime) is in the force row only.
  SELECT m, p, d, sum(n) AS n, sum(den) AS den, median(v) AS v FROM dated
    WHERE d IS NOT NULL GROUP BY m, p, d
  UNION ALL
  SELECT m, p, 'All', sum(n), sum(den), median(v) FROM dated GROUP BY m, p
),
-- Stock metrics: distinct staff with a completion on or before the period's last day.
stock AS (
  SELECT k.metric_id AS m, periods.p, count(DISTINCT s.staff_ref) AS n
  FROM kinds k CROSS JOIN periods
  JOIN staff s ON s.course = k.course AND s.completed_at < periods.p + INTERVAL '{step}'
  WHERE k.kind = 'stock'
  GROUP BY k.metric_id, periods.p
),
places AS (
  SELECT 'All' AS d, (SELECT sum(population) FROM districts) AS population, 0 AS known
  UNION ALL SELECT district, population, 1 FROM districts
  UNION ALL SELECT DISTINCT x.district, NULL, 2 FROM (
    SELECT district FROM crimes UNION SELECT district FROM protective_orders
    UNION SELECT district FROM crime_data_audits) x
    WHERE x.district NOT IN (SELECT district FROM districts)
)
SELECT k.metric_id, periods.p AS period_start, places.d AS district,
  CASE WHEN k.kind = 'median' THEN NULL
       WHEN k.kind = 'stock' THEN coalesce(stock.n, 0)
       ELSE coalesce(agg.n, 0) END AS numerator,
  CASE k.kind WHEN 'count' THEN NULL WHEN 'distinct_count' THEN NULL
    WHEN 'population' THEN places.population
    WHEN 'stock' THEN (SELECT coalesce(sum(headcount), 0) FROM workforce)
    ELSE coalesce(agg.den, 0) END AS denominator,
  CASE k.kind
    WHEN 'count' THEN coalesce(agg.n, 0)::DOUBLE
    WHEN 'distinct_count' THEN coalesce(agg.n, 0)::DOUBLE
    WHEN 'population' THEN CASE WHEN places.population > 0
      THEN coalesce(agg.n, 0) / places.population * k.scale END
    WHEN 'ratio' THEN CASE WHEN agg.den > 0 THEN agg.n / agg.den * k.scale END
    WHEN 'median' THEN CASE WHEN agg.den > 0 THEN agg.v END
    WHEN 'stock' THEN coalesce(stock.n, 0)
      / nullif((SELECT sum(headcount) FROM workforce), 0) * k.scale
  END AS value,
  k.ord, places.known
FROM kinds k CROSS JOIN periods CROSS JOIN places
LEFT JOIN agg ON agg.m = k.metric_id AND agg.p = periods.p AND agg.d = places.d
LEFT JOIN stock ON stock.m = k.metric_id AND stock.p = periods.p
-- The training metrics are force-wide: their breakdown is by department, not district.
WHERE k.kind != 'stock' OR places.d = 'All'
ORDER BY k.ord, period_start, places.known, district
"""
)

_DEPARTMENTS_SQL = (
    "WITH"
    + _COMMON
    + """
SELECT k.metric_id, periods.p AS period_start, w.department,
  count(DISTINCT s.staff_ref) AS numerator, w.headcount AS denominator,
  CASE WHEN w.headcount > 0 THEN count(DISTINCT s.staff_ref) / w.headcount * k.scale END
    AS value
FROM kinds k CROSS JOIN periods CROSS JOIN workforce w
LEFT JOIN staff s ON s.department = w.department AND s.course = k.course
  AND s.completed_at < periods.p + INTERVAL '{step}'
WHERE k.kind = 'stock'
GROUP BY k.metric_id, k.ord, k.scale, periods.p, w.department, w.headcount
ORDER BY k.ord, period_start, w.department
"""
)

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


def _register(con: duckdb.DuckDBPyConnection, tables: dict[str, object]) -> set[str]:
    """Views of the contract tables; returns what is present ("table" and "table.column")."""
    present: set[str] = set()
    for name, columns in _TABLES.items():
        if name in tables:
            con.register(f"__given_{name}", tables[name])
            given = {row[0] for row in con.sql(f"DESCRIBE __given_{name}").fetchall()}
            present.add(name)
            present.update(f"{name}.{column}" for column in columns if column in given)
            select = ", ".join(
                column if column in given else f"NULL::{kind} AS {column}"
                for column, kind in columns.items()
            )
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {select} FROM __given_{name}"
            )
        else:
            definition = ", ".join(f"{column} {kind}" for column, kind in columns.items())
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({definition})")
    return present


def available_metrics(present: set[str], metric_ids: list[str] | None = None) -> list[SpecMetric]:
    """The spec's metrics whose inputs are all present (optionally only those named)."""
    return [
        metric
        for metric in SPEC_METRICS
        if all(need in present for need in metric.needs)
        and (metric_ids is None or metric.id in metric_ids)
    ]


def _prepare(
    tables: dict[str, object], grain: str, connection, metric_ids: list[str] | None
) -> duckdb.DuckDBPyConnection:
    con = connection or duckdb.connect()
    metrics = available_metrics(_register(con, tables), metric_ids)
    con.register(
        "kinds",
        pl.DataFrame(
            {
                "metric_id": [m.id for m in metrics],
                "kind": [m.kind for m in metrics],
                "scale": [float(m.scale) for m in metrics],
                "course": [m.course for m in metrics],
                "ord": list(range(len(metrics))),
            },
            schema={
                "metric_id": pl.String,
                "kind": pl.String,
                "scale": pl.Float64,
                "course": pl.String,
                "ord": pl.Int64,
            },
        ),
    )
    con.execute(f"CREATE OR REPLACE TEMP MACRO period_of(t) AS {_PERIOD_MACRO[grain]}")
    return con


def duckdb_kpis(
    tables: dict[str, object], grain: str, connection=None, metric_ids: list[str] | None = None
) -> pl.DataFrame:
    """Every available KPI at one grain, in DuckDB SQL, from the valid rows of the tables.

    ``metric_ids`` keeps only those metrics (for a product that does not have them all yet).
    """
    con = _prepare(tables, grain, connection, metric_ids)
    sql = _SQL.format(step=_STEP[grain], positive=_POSITIVE)
    result = pl.from_arrow(con.sql(sql).to_arrow_table())
    return result.select(
        "metric_id",
        pl.col("period_start").cast(pl.Date),
        label(pl.col("period_start").cast(pl.Date), grain).alias("period_label"),
        "district",
        pl.col("numerator").cast(pl.Int64),
        pl.col("denominator").cast(pl.Int64),
        pl.col("value").cast(pl.Float64),
    )


def duckdb_departments(tables: dict[str, object], grain: str, connection=None) -> pl.DataFrame:
    """``kpi departments``: the training metrics by department of ``workforce``, no force row."""
    con = _prepare(tables, grain, connection, None)
    result = pl.from_arrow(con.sql(_DEPARTMENTS_SQL.format(step=_STEP[grain])).to_arrow_table())
    return result.select(
        "metric_id",
        pl.col("period_start").cast(pl.Date),
        label(pl.col("period_start").cast(pl.Date), grain).alias("period_label"),
        "department",
        pl.col("numerator").cast(pl.Int64),
        pl.col("denominator").cast(pl.Int64),
        pl.col("value").cast(pl.Float64),
    )
