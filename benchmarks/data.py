"""Benchmark sources: demo databases generated once and cached, and copies on a server.

A demo database is named by its size, seed, dirty fraction and a digest of the generator's
source, so a changed generator never reuses a stale file. PostgreSQL and MariaDB copies
hold the demo's *valid* rows (typed engines cannot store an unparseable timestamp), in a
schema or database named the same way, loaded once.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from demo import demo_data
from queries.contract import TABLES, Kind, sqlalchemy_metadata

DATA_DIRECTORY = Path(__file__).resolve().parent / ".data"
DEFAULT_SEED = 20240401
DEFAULT_DIRTY_FRACTION = 0.01

POSTGRES_URL = os.environ.get("KPI_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
MARIADB_URL = os.environ.get("KPI_BENCH_MARIADB_URL", "mysql://root@127.0.0.1:3306/test")


def generator_digest() -> str:
    """Eight hex digits of the demo generator's source: a new generator, new files."""
    return hashlib.sha256(inspect.getsource(demo_data).encode()).hexdigest()[:8]


def dataset_name(crimes: int, seed: int, dirty_fraction: float) -> str:
    dirt = f"{dirty_fraction:g}".replace(".", "p")
    return f"demo_{crimes}_s{seed}_d{dirt}_{generator_digest()}"


def demo_database(
    crimes: int,
    seed: int = DEFAULT_SEED,
    dirty_fraction: float = DEFAULT_DIRTY_FRACTION,
    directory: Path = DATA_DIRECTORY,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[Path, float | None]:
    """The cached demo database of this size, and the seconds generating it took (None: cached)."""
    import time

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{dataset_name(crimes, seed, dirty_fraction)}.sqlite"
    if path.exists():
        return path, None
    started = time.perf_counter()
    demo_data.generate_demo(
        path, crimes=crimes, seed=seed, dirty_fraction=dirty_fraction, progress=progress
    )
    return path, time.perf_counter() - started


def _valid_tables(path: Path) -> dict[str, pl.DataFrame]:
    from queries import load_source

    return load_source(f"sqlite:///{path}").tables


def postgres_copy(path: Path, server_url: str = POSTGRES_URL) -> str:
    """A PostgreSQL schema holding the demo's valid rows; its URL selects that schema."""
    import adbc_driver_postgresql.dbapi as adbc_postgresql

    schema = path.stem.lower()
    url = f"{server_url}?options=-csearch_path%3D{schema}"
    engine = sa.create_engine(_sqlalchemy_url(server_url), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            if connection.execute(
                sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :schema"), {"schema": schema}
            ).first():
                return url
        tables = _valid_tables(path)
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}_loading"'))
            metadata = sqlalchemy_metadata()
            for table in metadata.tables.values():
                table.schema = f"{schema}_loading"
            metadata.create_all(connection)
        with adbc_postgresql.connect(server_url) as connection, connection.cursor() as cursor:
            for name, frame in tables.items():
                frame = frame.with_columns(pl.col(pl.Int64).cast(pl.Int32))
                cursor.adbc_ingest(
                    name, frame.to_arrow(), mode="append", db_schema_name=f"{schema}_loading"
                )
            connection.commit()
        with engine.begin() as connection:
            connection.execute(sa.text(f'ALTER SCHEMA "{schema}_loading" RENAME TO "{schema}"'))
            connection.execute(sa.text(f'ANALYZE "{schema}".crimes'))
    finally:
        engine.dispose()
    return url


def mariadb_copy(path: Path, server_url: str = MARIADB_URL) -> str:
    """A MariaDB database holding the demo's valid rows, loaded with LOAD DATA LOCAL INFILE."""
    import pymysql

    database = path.stem.lower()
    base = sa.make_url(_sqlalchemy_url(server_url))
    url = f"{server_url.rsplit('/', 1)[0]}/{database}"
    connection = pymysql.connect(
        host=base.host, port=base.port or 3306, user=base.username,
        password=base.password or "", local_infile=True,
    )  # fmt: skip
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW DATABASES LIKE %s", (database,))
            if cursor.fetchone():
                return url
            tables = _valid_tables(path)
            loading = f"{database}_loading"
            cursor.execute(f"DROP DATABASE IF EXISTS `{loading}`")
            cursor.execute(f"CREATE DATABASE `{loading}`")
            engine = sa.create_engine(
                f"mysql+pymysql://{base.username}@{base.host}:{base.port or 3306}/{loading}",
                poolclass=sa.pool.NullPool,
            )
            sqlalchemy_metadata().create_all(engine)
            engine.dispose()
            for table in TABLES:
                _load_data_infile(cursor, f"`{loading}`.`{table.name}`", table, tables[table.name])
            connection.commit()
            cursor.execute(f"CREATE DATABASE `{database}`")
            for table in TABLES:
                cursor.execute(
                    f"RENAME TABLE `{loading}`.`{table.name}` TO `{database}`.`{table.name}`"
                )
            cursor.execute(f"DROP DATABASE `{loading}`")
    finally:
        connection.close()
    return url


def _load_data_infile(cursor, target: str, table, frame: pl.DataFrame) -> None:
    """Write the frame as tab-separated text (\\N for null) and load it in one statement."""
    kinds = {column.name: column.kind for column in table.columns}
    text = frame.select(
        pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S%.6f")
        if kinds[name] == Kind.TIMESTAMP
        else pl.col(name).cast(pl.Int8)
        if kinds[name] == Kind.BOOLEAN
        else pl.col(name)
        for name in frame.columns
    )
    with tempfile.NamedTemporaryFile(suffix=".tsv", delete=False) as handle:
        file = Path(handle.name)
    try:
        text.write_csv(
            file, separator="\t", include_header=False, null_value="\\N", quote_style="never"
        )
        columns = ", ".join(f"`{name}`" for name in frame.columns)
        cursor.execute(
            f"LOAD DATA LOCAL INFILE %s INTO TABLE {target} "
            f"FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' ({columns})",
            (str(file),),
        )
    finally:
        file.unlink(missing_ok=True)


def _sqlalchemy_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("mysql://"):
        return "mysql+pymysql://" + url.removeprefix("mysql://")
    return url
