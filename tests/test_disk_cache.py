"""The dataset cache on disk: a restart opens from it, a changed source never does."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from dashboard import data, disk_cache
from dashboard.data import Source
from queries.fingerprint import source_fingerprint
from tests import fixture_rows


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KPI_CACHE_DIR", str(folder))
    return folder


def no_reading(*_args, **_kwargs):
    raise AssertionError("the source was read although the cache holds it")


def test_a_second_start_serves_the_cached_dataset_without_reading_the_source(
    cache, fixture_source, monkeypatch
):
    source = Source(fixture_source, "test")
    first = data._cached_or_built(source, lambda *_: None)
    monkeypatch.setattr(data, "build_dataset", no_reading)
    second = data._cached_or_built(source, lambda *_: None)
    for key, frame in first.kpis.items():
        assert_frame_equal(second.kpis[key], frame)
    assert_frame_equal(second.report, first.report)


def test_the_cache_is_readable_by_the_service_account_only(cache, fixture_source):
    data._cached_or_built(Source(fixture_source, "test"), lambda *_: None)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    entries = list(cache.iterdir())
    assert len(entries) == 1
    assert stat.S_IMODE(entries[0].stat().st_mode) == 0o600


def test_a_changed_sqlite_source_is_read_again(cache, fixture_source, monkeypatch):
    source = Source(fixture_source, "test")
    before = data._cached_or_built(source, lambda *_: None)
    path = fixture_source.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM victims")
    connection.close()
    os.utime(path, ns=(1, 1))  # even with an old modification time, the size or time differs
    after = data._cached_or_built(source, lambda *_: None)

    def victims_read(dataset) -> int:
        rows = dataset.reconciliation.filter(dataset.reconciliation["table"] == "victims")
        return rows["rows_read"].item()

    assert victims_read(before) == len(fixture_rows.ALL_ROWS["victims"])
    assert victims_read(after) == 0


def test_turning_the_cache_off_reads_the_source_every_time(fixture_source, monkeypatch):
    monkeypatch.setenv("KPI_CACHE_DIR", "off")
    source = Source(fixture_source, "test")
    data._cached_or_built(source, lambda *_: None)
    monkeypatch.setattr(data, "build_dataset", no_reading)
    with pytest.raises(AssertionError, match="the source was read"):
        data._cached_or_built(source, lambda *_: None)


@pytest.mark.postgres
def test_a_server_fingerprint_changes_when_a_row_is_added_and_not_otherwise(postgres_database):
    url = postgres_database(fixture_rows.ALL_ROWS)
    first = source_fingerprint(url)
    assert source_fingerprint(url) == first
    schema = url.rsplit("%3D", 1)[1]
    engine = sa.create_engine(url.split("?")[0], poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(
            sa.text(f'INSERT INTO "{schema}".districts (district, population) VALUES (:d, 1)'),
            {"d": "Extra"},
        )
    engine.dispose()
    assert source_fingerprint(url) != first


def test_a_damaged_cache_entry_is_recomputed(cache, fixture_source):
    source = Source(fixture_source, "test")
    data._cached_or_built(source, lambda *_: None)
    (entry,) = cache.iterdir()
    entry.write_bytes(disk_cache.FORMAT + b"not a pickle")
    again = data._cached_or_built(source, lambda *_: None)
    assert again.kpis
