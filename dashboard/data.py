"""Where the data come from, and loading them once: cached by database URL and data freshness.

Every KPI at every grain and domestic abuse filter is computed on the first load (a few
seconds on the demo database), so changing a filter only selects from frames in memory and
never reads the database again.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import disk_cache
from dashboard.access import Access
from dashboard.secrets_file import secret
from metrics import DomesticAbuse, Grain, compute_all_grains, prepare_facts
from metrics.as_at import AsAtError, parse_as_at, resolve_as_at
from metrics.departments import department_kpis
from metrics.provisional import with_provisional
from presentation.settings import DATABASE_URL_ENV
from queries import SourceError, describe, load_source
from queries.fingerprint import source_fingerprint
from queries.folder import is_folder
from queries.query_files import QUERIES_DIR_ENV
from queries.redact import redact
from queries.source import normalise_url, sqlite_path
from queries.validation import today_in_uk

# The date the data are as at, when the extract was taken after its latest record.
AS_AT_ENV = "KPI_AS_AT"
SECRET_KEYS = ("database_url", DATABASE_URL_ENV)
DEMO_DATABASE_ENV = "KPI_DEMO_DATABASE"
# Relative to the folder the app starts in (like .streamlit/secrets.toml), never to the
# installed package: in site-packages that would be a folder the app must not write to.
DEMO_DATABASE = Path(os.environ.get(DEMO_DATABASE_ENV) or Path("data") / "demo.sqlite")
# A server database has no file date to watch: its data are read again after this long.
SERVER_REFRESH_SECONDS = 15 * 60
# After a failed read, how long pages show the last figures before trying the database again.
RETRY_AFTER_SECONDS = 60

Progress = Callable[[str, float], None]
"""Called with what is being done and the share of the work done so far (0 to 1)."""


@dataclass(frozen=True)
class Source:
    """The database the app reads, where that setting came from, and the force's queries."""

    url: str
    origin: str
    queries_dir: str | None = None

    @property
    def label(self) -> str:
        return redact(describe(self.url), self.url)


def configured_source() -> Source:
    """``KPI_DATABASE_URL``, else ``.streamlit/secrets.toml``, else the demo database.

    In ``secrets.toml`` the URL is ``database_url = "..."`` (``KPI_DATABASE_URL`` works too).
    A secrets file that exists but cannot be read raises ``SecretsError``: never the demo instead.
    """
    source = _configured_url()
    queries = os.environ.get(QUERIES_DIR_ENV, "").strip() or str(secret("queries_dir") or "")
    return replace(source, queries_dir=queries.strip() or None)


def _configured_url() -> Source:
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return Source(url, f"the {DATABASE_URL_ENV} environment variable")
    for key in SECRET_KEYS:
        url = str(secret(key) or "").strip()
        if url:
            return Source(url, f"{key} in .streamlit/secrets.toml")
    return Source(f"sqlite:///{DEMO_DATABASE.as_posix()}", "the demo database (default)")


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL; None for a server database or a URL that does not parse."""
    try:
        return sqlite_path(normalise_url(url))
    except SourceError:
        return None


def is_demo(url: str) -> bool:
    """Whether the URL names the demo database file, which the app may create."""
    path = sqlite_file(url)
    return path is not None and path.resolve() == DEMO_DATABASE.resolve()


def freshness_token(url: str, now: float | None = None) -> str:
    """Changes when the data may have changed: a SQLite file's date and size, else the clock."""
    if is_folder(url):
        stats = sorted(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in Path(url).iterdir()
        )
        return f"folder:{stats}"
    path = sqlite_file(url)
    if path is not None:
        try:
            stat = path.stat()
        except OSError:
            return "missing"
        return f"file:{stat.st_mtime_ns}:{stat.st_size}"
    now = time.time() if now is None else now
    return f"clock:{int(now // SERVER_REFRESH_SECONDS)}"


@dataclass(frozen=True)
class Dataset:
    """Everything the pages show, computed once per database and freshness."""

    source: str
    kpis: dict[tuple[Grain, DomesticAbuse], pl.DataFrame]
    districts: pl.DataFrame  # district, population: known districts, then unknown names
    first_date: dt.date | None
    last_date: dt.date | None
    report: pl.DataFrame
    reconciliation: pl.DataFrame
    loaded_at: dt.datetime
    seconds: float
    force_wide: bool = True  # False: narrowed to the districts a signed-in user may see
    unavailable: str | None = None  # why these are the last figures loaded, not fresh ones
    not_collected: dict[str, str] = field(default_factory=dict)  # metric id: why unavailable
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # absent tables/columns
    departments: dict[Grain, pl.DataFrame] = field(default_factory=dict)  # training take-up
    reviews: pl.DataFrame | None = None  # dip-sample answers: district, date, theme, question
    as_at: dt.date | None = None  # the date the data are as at (KPI_AS_AT, else last_date)

    def narrowed(self, access: Access) -> Dataset:
        """Only what this session may see: its districts' rows, and no force-wide report."""
        if access.force_wide:
            return self
        return replace(
            self,
            kpis={key: access.narrow(frame) for key, frame in self.kpis.items()},
            districts=access.narrow(self.districts),
            # Row keys and counts in the report cover every district: force-wide roles only.
            report=self.report.clear(),
            reconciliation=self.reconciliation.clear(),
            # Take-up by department is about the whole force's staff: force-wide roles only.
            departments={grain: frame.clear() for grain, frame in self.departments.items()},
            reviews=None if self.reviews is None else access.narrow(self.reviews),
            force_wide=False,
        )

    def kpis_for(self, grain: Grain, domestic_abuse: DomesticAbuse) -> pl.DataFrame:
        return self.kpis[(grain, domestic_abuse)]

    @property
    def has_periods(self) -> bool:
        return self.first_date is not None and self.last_date is not None


def build_dataset(
    url: str, progress: Progress | None = None, queries_dir: str | None = None
) -> Dataset:
    """Read and validate the source, then compute every KPI at every grain and filter."""
    started = time.perf_counter()
    report = progress or (lambda _text, _share: None)
    tables_seen: list[str] = []

    def rows_read(table: str, rows: int) -> None:
        if table not in tables_seen:
            tables_seen.append(table)
        report(f"Reading {table}: {rows:,} rows", 0.5 * (len(tables_seen) - 1) / 5)

    explicit = configured_as_at()
    validated = load_source(url, progress=rows_read, queries_dir=queries_dir)
    report("Preparing the records", 0.55)
    facts = prepare_facts(validated)
    try:
        as_at = resolve_as_at(facts, explicit, AS_AT_ENV)
    except AsAtError as error:
        raise SourceError(str(error)) from None
    kpis = {}
    for done, domestic_abuse in enumerate(DomesticAbuse):
        report(
            f"Computing KPIs ({domestic_abuse.value.replace('_', '-')} records)",
            0.6 + 0.4 * done / 3,
        )
        # Counts are taken once by month and rolled up; medians come from the records.
        for grain, frame in compute_all_grains(facts.filtered(domestic_abuse)).items():
            kpis[(grain, domestic_abuse)] = with_provisional(frame, grain, as_at)
    return Dataset(
        source=redact(describe(url), url),
        kpis=kpis,
        districts=facts.districts,
        first_date=facts.first_date,
        last_date=facts.last_date,
        report=validated.report,
        reconciliation=validated.reconciliation,
        loaded_at=dt.datetime.now().replace(microsecond=0),
        seconds=time.perf_counter() - started,
        not_collected=dict(facts.unavailable),
        missing=dict(validated.missing),
        departments={grain: department_kpis(facts, grain) for grain in Grain},
        reviews=facts.records["case_reviews"].select(
            "district", "reviewed_at", "theme", "question", "answer"
        ),
        as_at=as_at,
    )


def configured_as_at() -> dt.date | None:
    """``KPI_AS_AT`` as a date, or None when unset; a bad value stops the load (fail closed)."""
    text = os.environ.get(AS_AT_ENV, "").strip()
    if not text:
        return None
    try:
        return parse_as_at(text, AS_AT_ENV)
    except AsAtError as error:
        raise SourceError(str(error)) from None


@dataclass
class _Slot:
    """One cache entry: filled once, outside the cached function, so progress can be shown."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    dataset: Dataset | None = None
    failure: tuple[float, str] | None = None  # when and why the last read failed


@st.cache_resource(max_entries=4, show_spinner=False)
def _slot(url: str, freshness: str) -> _Slot:
    """The cache entry for a database URL and data freshness (small scalars, never frames)."""
    return _Slot()


@st.cache_resource(show_spinner=False)
def _last_loaded() -> dict[str, Dataset]:
    """The latest dataset loaded for each URL, shown when the database cannot be reached."""
    return {}


def clear_cache() -> None:
    """Forget every loaded dataset: the next page view reads the database again."""
    _slot.clear()


_demo_lock = threading.Lock()


def ensure_demo(source: Source) -> None:
    """Create the demo database, with progress, when the source is the demo and it is missing."""
    if not is_demo(source.url) or DEMO_DATABASE.exists():
        return
    with _demo_lock:
        if DEMO_DATABASE.exists():
            return
        try:
            from demo.demo_data import generate_demo
        except ImportError:
            raise SourceError(
                f"the demo database {DEMO_DATABASE} is missing and the demo generator is not "
                "installed; set KPI_DATABASE_URL to your database"
            ) from None
        DEMO_DATABASE.parent.mkdir(parents=True, exist_ok=True)
        bar = st.progress(0.0, text="Creating the demo database (first run only)…")

        def show(stage: str, done: int, total: int) -> None:
            share = min(done / total, 1.0) if total else 1.0
            bar.progress(share, text=f"Creating the demo database: {stage}")

        try:
            generate_demo(DEMO_DATABASE, progress=_throttled(show))
        except FileExistsError:
            pass  # another session created it meanwhile
        finally:
            bar.empty()


def _throttled(function: Callable[..., None], interval: float = 0.15) -> Callable[..., None]:
    """Pass calls on at most every ``interval`` seconds: progress must not flood the browser."""
    last = [0.0]

    def call(*args) -> None:
        now = time.monotonic()
        if now - last[0] >= interval:
            last[0] = now
            function(*args)

    return call


def load(source: Source) -> Dataset:
    """The dataset for this source, read on first use (with a progress bar) and then cached.

    When the source cannot be read but was read before, the last figures loaded come back
    marked ``unavailable`` (the page says "data as at" and offers a retry). Otherwise raises
    ``SourceError`` with a one-line message.
    """
    ensure_demo(source)
    slot = _slot(f"{source.url}|{source.queries_dir}", freshness_token(source.url))
    if slot.dataset is not None:
        return slot.dataset
    with slot.lock:
        # After a failure, filter changes do not wait on a dead database again: the "Retry"
        # button (or the next refresh period) reads it again.
        if slot.failure is not None and time.monotonic() - slot.failure[0] < RETRY_AFTER_SECONDS:
            return _last_or_raise(source, slot.failure[1])
        if slot.dataset is None:
            bar = st.progress(0.0, text=f"Loading {source.label} (first view only)…")
            try:
                slot.dataset = _cached_or_built(
                    source, _throttled(lambda text, share: bar.progress(share, text=text))
                )
            except SourceError as error:
                slot.failure = (time.monotonic(), str(error))
                return _last_or_raise(source, str(error))
            finally:
                bar.empty()
            slot.failure = None
            _last_loaded()[source.url] = slot.dataset
    return slot.dataset


def _cached_or_built(source: Source, progress: Progress) -> Dataset:
    """The dataset from the disk cache when the source has not changed; else computed, and kept."""
    fingerprint = source_fingerprint(source.url, source.queries_dir)
    # What else changes the figures: the as-at setting, and today (the future-date rule).
    settings = f"as_at={configured_as_at()};today={today_in_uk()}"
    key = disk_cache.cache_key(source.label, source.queries_dir, f"{fingerprint};{settings}")
    cached = disk_cache.load(key)
    if cached is not None:
        return cached
    dataset = build_dataset(source.url, progress, source.queries_dir)
    disk_cache.save(key, dataset)
    return dataset


def _last_or_raise(source: Source, error: str) -> Dataset:
    """The last figures loaded from this source, marked unavailable; or the error itself."""
    previous = _last_loaded().get(source.url)
    if previous is None:
        raise SourceError(error)
    return replace(previous, unavailable=error)
