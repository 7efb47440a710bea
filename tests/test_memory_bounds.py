"""What keeps a national decade in memory: tables read one at a time, nothing held twice.

Speed and peak memory are measured in ``benchmarks/``; these tests check the behaviour those
numbers rest on, and that it changes no result.
"""

from __future__ import annotations

import polars as pl
import pytest

import queries.validation as validation_module
from metrics.record_sets import _allocation_summary, _crimes_with_terms, beside, crime_context
from metrics.sources import prepare_facts
from queries import TABLES, load_source, read_on_demand
from queries import source as source_module
from queries.contract import Kind
from tests import fixture_rows


def test_each_table_is_read_only_when_validation_reaches_it(fixture_source, monkeypatch):
    events: list[str] = []
    read, check = source_module._read_table, validation_module._check

    def reading(engine, table, *args, **kwargs):
        events.append(f"read {table.table}")
        return read(engine, table, *args, **kwargs)

    def checking(table, frame, rules):
        events.append(f"check {table.name}")
        return check(table, frame, rules)

    monkeypatch.setattr(source_module, "_read_table", reading)
    monkeypatch.setattr(validation_module, "_check", checking)
    load_source(fixture_source)
    order = [t.name for t in TABLES.validation_order() if t.name in fixture_rows.ALL_ROWS]
    assert events == [f"{step} {name}" for name in order for step in ("read", "check")]


def test_a_table_read_on_demand_is_handed_over_once_and_then_forgotten(fixture_source):
    read = read_on_demand(fixture_source, order=["crimes"])
    try:
        assert "crimes" in read.frames and "victims" in read.frames
        assert read.rows_counted == {}  # nothing read yet
        crimes = read.frames.pop("crimes")
        assert crimes.height == len(fixture_rows.ALL_ROWS["crimes"])
        assert read.rows_counted == {"crimes": len(fixture_rows.ALL_ROWS["crimes"])}
        assert "crimes" not in read.frames
        with pytest.raises(KeyError):
            read.frames["crimes"]
    finally:
        read.frames.close()


def _sorted(frame: pl.DataFrame, by: str) -> pl.DataFrame:
    return frame.sort(by).select(sorted(frame.columns))


def test_records_placed_beside_their_crime_equal_a_plain_join(fixture_source):
    validated = load_source(fixture_source)
    tables = {name: frame.lazy() for name, frame in validated.tables.items()}
    facts = prepare_facts(validated)
    # The second method: ordinary joins, which copy every column.
    crimes = (
        _crimes_with_terms(tables)
        .join(_allocation_summary(tables["allocations"]), on="crime_id", how="left")
        .with_columns(pl.col("first_allocation_is_cid").fill_null(False))
        .collect()
    )
    victims = tables["victims"].join(crime_context(tables), on="crime_id", how="inner").collect()
    assert _sorted(facts.records["crimes"], "crime_id").equals(_sorted(crimes, "crime_id"))
    assert _sorted(facts.records["victims"], "victim_id").equals(_sorted(victims, "victim_id"))


def test_beside_keeps_every_row_in_its_order_and_leaves_a_missing_match_empty():
    frame = pl.LazyFrame({"id": ["b", "a", "c", "a2"], "value": [1, 2, 3, 4]})
    lookup = pl.LazyFrame({"id": ["a", "b", "c"], "found": ["A", "B", "C"]})
    result = beside(frame, lookup, "id").collect()
    assert result.to_dict(as_series=False) == {
        "id": ["b", "a", "c", "a2"],
        "value": [1, 2, 3, 4],
        "found": ["B", "A", "C", None],
    }


CATEGORICAL = [
    (table.name, column.name) for table in TABLES for column in table.columns if column.categorical
]


@pytest.mark.parametrize(("table", "column"), CATEGORICAL)
def test_a_declared_categorical_column_is_held_as_one_and_counted_as_text(
    fixture_source, table, column
):
    declared = next(c for c in TABLES[table].columns if c.name == column)
    assert declared.kind == Kind.TEXT
    validated = load_source(fixture_source)
    assert validated.tables[table].schema[column] == pl.Categorical()
    values = sorted(
        {row[column] for row in fixture_rows.ALL_ROWS.get(table, []) if row.get(column)}
    )
    present = validated.tables[table][column].drop_nulls().cast(pl.String).unique().sort()
    assert set(present.to_list()) <= set(values)


def test_kpis_name_their_district_as_text_whatever_the_records_hold(fixture_source):
    from metrics import Grain, compute_kpis

    facts = prepare_facts(load_source(fixture_source))
    assert any(frame.schema.get("district") == pl.Categorical() for frame in facts.records.values())
    kpis = compute_kpis(facts, Grain.MONTH)
    assert kpis.schema["district"] == pl.String
