"""Data quality: what validation left out or warned about, row by row, and data freshness."""

import polars as pl
import streamlit as st

from dashboard.context import current, page_header
from dashboard.exports import download_buttons, file_stem
from metrics.sources import RECORD_SETS
from queries import describe_rule

SHOWN_LINES = 1_000  # report lines on the page; the downloads hold them all

view = current()
if view is None or view.dataset is None:
    st.stop()
dataset = view.dataset

page_header("Data quality")
st.caption("The filters do not apply here: this page is about every row the database holds.")

freshness = f"{dataset.last_date:%d %B %Y}" if dataset.last_date else "no dated records"
dates = ", ".join(f"{records.table}.{column}" for records in RECORD_SETS for column in records.span)
left, middle, right = st.columns(3)
left.metric("Latest record", freshness, help=f"The latest of {dates} in valid rows.")
middle.metric("Rows left out", f"{dataset.reconciliation['rows_with_errors'].sum():,}")
right.metric("Rows with warnings", f"{dataset.reconciliation['rows_with_warnings'].sum():,}")
st.caption(f"Source: {dataset.source} · loaded {dataset.loaded_at:%d %b %Y %H:%M}")

st.subheader("Rows read and used")
reconciliation = dataset.reconciliation.select(
    pl.col("table").alias("Table"),
    pl.col("rows_read").alias("Rows read"),
    pl.col("rows_used").alias("Rows used"),
    pl.col("rows_with_errors").alias("Rows left out (errors)"),
    pl.col("rows_with_warnings").alias("Rows kept with warnings"),
    pl.when(pl.col("rows_used") + pl.col("rows_with_errors") == pl.col("rows_read"))
    .then(pl.lit("✓ read = used + left out"))
    .otherwise(pl.lit("✗ does not add up"))
    .alias("Check"),
)
COUNT = st.column_config.NumberColumn(format="localized")
st.dataframe(
    reconciliation,
    hide_index=True,
    column_config={name: COUNT for name in reconciliation.columns[1:5]},
)

absent = [name for name, columns in dataset.missing.items() if not columns]
partial = {name: columns for name, columns in dataset.missing.items() if columns}
if absent or partial:
    st.subheader("Not in the source")
    if absent:
        st.caption(f"Optional tables the source does not have: {', '.join(absent)}.")
    for name, columns in partial.items():
        st.caption(f"{name} has no column {', '.join(columns)}.")
    st.caption("The KPIs that need them are named as not collected on the overview.")

st.subheader("Errors and warnings by table and rule")
report = dataset.report
if report.is_empty():
    st.success("Every row passed validation: nothing was left out and nothing drew a warning.")
    st.stop()

meaning = pl.col("rule").replace_strict(
    {rule: describe_rule(rule) for rule in report["rule"].unique()}, return_dtype=pl.String
)
by_rule = (
    report.group_by("table", "severity", "rule", maintain_order=True)
    .agg(pl.len().alias("rows"))
    .with_columns(meaning.alias("what it means"))
    .sort("table", "severity", "rows", descending=[False, False, True])
)
st.caption(
    "An **error** leaves the row out of every KPI; a **warning** keeps it. A row is listed "
    "once per rule it breaks."
)
st.dataframe(
    by_rule.select(
        pl.col("table").alias("Table"),
        pl.col("severity").alias("Severity"),
        pl.col("rule").alias("Rule"),
        pl.col("what it means").alias("What it means"),
        pl.col("rows").alias("Rows"),
    ),
    hide_index=True,
    width="stretch",
    column_config={"Rows": COUNT},
)

st.subheader("Row keys")
choices = [f"{row['table']} · {row['rule']}" for row in by_rule.iter_rows(named=True)]
choice = st.selectbox("Rule", ["Every rule", *choices], key="quality_rule")
rows = report
if choice != "Every rule":
    table, rule = choice.split(" · ", 1)
    rows = report.filter(pl.col("table") == table, pl.col("rule") == rule)
shown = (
    f"; the first {SHOWN_LINES:,} are shown here, the downloads hold every line"
    if rows.height > SHOWN_LINES
    else ""
)
st.caption(
    f"{rows.height:,} report lines{shown}. The key is the row's own id (for allocations, its "
    "crime)."
)
# A national source can have hundreds of thousands of lines: sending them all to the browser
# on every run took 0.7 s at ten million crimes.
st.dataframe(rows.head(SHOWN_LINES), hide_index=True, width="stretch", height=320)
download_buttons(
    report.with_columns(meaning.alias("what_it_means")),
    file_stem("validation_report"),
    sheet="Validation report",
    key="quality",
)
