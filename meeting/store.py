"""The app database: commentary versions and the action log, behind one small class.

Every write goes through ``Store``, which checks the input and the editor's districts before
anything is written, so that the rules hold for the app, the command line and any other caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from meeting.access import Editor
from meeting.checks import (
    SECTIONS,
    CommentaryKey,
    Refused,
    check_district,
    check_metric,
    check_name,
    check_status,
    check_text,
)
from meeting.schema import action_history, actions, commentary

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
Clock = Callable[[], dt.datetime]
CONNECT_TIMEOUT = 5  # seconds


class Unavailable(Exception):
    """The app database cannot be reached or set up; the message names it without a password."""


@dataclass(frozen=True)
class Commentary:
    """One saved version of a commentary."""

    key: CommentaryKey
    version: int
    author: str
    saved_at: dt.datetime  # UTC
    what: str
    why: str
    doing: str


class Conflict(Exception):
    """Someone saved a newer version first; both texts are kept here so nothing is lost."""

    def __init__(self, latest: Commentary, yours: dict[str, str], based_on: int) -> None:
        super().__init__(
            f"version {latest.version} was saved by {latest.author} after you started from "
            f"version {based_on}; your text was not saved"
        )
        self.latest = latest
        self.yours = yours
        self.based_on = based_on


@dataclass(frozen=True)
class Action:
    """One action as it stands now."""

    id: int
    title: str
    owner: str
    due: dt.date
    status: str
    metric_id: str | None
    district: str  # ALL_DISTRICTS: the force
    meeting: dt.date | None
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime

    def overdue(self, today: dt.date) -> bool:
        return self.status == "open" and self.due < today


@dataclass(frozen=True)
class ActionChange:
    """One state in an action's history."""

    action_id: int
    changed_by: str
    changed_at: dt.datetime
    title: str
    owner: str
    due: dt.date
    status: str


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def safe_label(url: str) -> str:
    """The URL as messages may show it: never the password."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the configured app database URL (it does not parse)"


def _engine(url: str) -> sa.Engine:
    try:
        parsed = sa.engine.make_url(url)
    except Exception:
        raise Unavailable("the app database URL does not parse") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        # The default is a file of the app's own: it may create the folder for it.
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # A server that does not answer should disable editing in seconds, not hang the page.
    connect_args = {}
    if parsed.get_backend_name() in ("postgresql", "mysql", "mariadb"):
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
    try:
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except Exception as error:
        raise Unavailable(f"cannot use {safe_label(url)}: {type(error).__name__}") from None


def upgrade(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration (Alembic, run in-process)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """Commentary and actions in the app database at ``url``; migrated when opened."""

    def __init__(self, url: str, *, clock: Clock = _utc_now, migrate: bool = True) -> None:
        self.url = url
        self.label = safe_label(url)
        self.clock = clock
        self.engine = _engine(url)
        if migrate:
            try:
                upgrade(self.engine)
            except sa.exc.DBAPIError as error:
                self.engine.dispose()
                raise Unavailable(
                    f"the app database {self.label} cannot be reached: {_first_line(error)}"
                ) from None

    def close(self) -> None:
        self.engine.dispose()

    def _begin(self):
        return self.engine.begin()

    # Commentary -----------------------------------------------------------------------------

    def latest(self, key: CommentaryKey) -> Commentary | None:
        found = self.versions(key)
        return found[0] if found else None

    def versions(self, key: CommentaryKey) -> list[Commentary]:
        """Every saved version, newest first."""
        query = _where_key(sa.select(commentary), key).order_by(commentary.c.version.desc())
        with self._connect() as connection:
            return [_commentary(row) for row in connection.execute(query).mappings()]

    def save_commentary(
        self,
        editor: Editor,
        key: CommentaryKey,
        texts: dict[str, str],
        *,
        based_on: int | None,
    ) -> Commentary:
        """Save a new version; ``based_on`` is the version an edit started from (0: none).

        ``None`` appends whatever the latest version is (text written elsewhere, ``kpi notes
        add``). Otherwise a newer version than ``based_on`` raises ``Conflict`` with both texts.
        """
        editor.check(key.district)
        author = check_name(editor.name, "author")
        sections = {name: check_text(texts.get(name, ""), SECTIONS[name]) for name in SECTIONS}
        if not any(text.strip() for text in sections.values()):
            raise Refused("the commentary is empty: write at least one of the three sections")
        for _attempt in range(5):
            latest = self.latest(key)
            current = 0 if latest is None else latest.version
            if based_on is not None and current != based_on:
                assert latest is not None
                raise Conflict(latest, sections, based_on)
            row = {
                **vars(key),
                "version": current + 1,
                "author": author,
                "saved_at": self.clock(),
                **sections,
            }
            try:
                with self._begin() as connection:
                    connection.execute(sa.insert(commentary).values(**row))
            except sa.exc.IntegrityError:
                continue  # someone saved the same version number a moment earlier
            return _commentary(row)
        raise Unavailable("the commentary is being saved by others too often; try again")

    def list_commentary(
        self,
        *,
        metric_id: str | None = None,
        grain: str | None = None,
        period_label: str | None = None,
        districts: Collection[str] | None = None,
        all_versions: bool = False,
    ) -> list[Commentary]:
        """Commentary matching the filters: the latest versions, or every version."""
        query = sa.select(commentary)
        for column, value in (
            (commentary.c.metric_id, metric_id),
            (commentary.c.grain, grain),
            (commentary.c.period_label, period_label),
        ):
            if value is not None:
                query = query.where(column == value)
        if districts is not None:
            query = query.where(commentary.c.district.in_(sorted(districts)))
        if not all_versions:
            maxima = (
                sa.select(
                    commentary.c.metric_id,
                    commentary.c.grain,
                    commentary.c.period_label,
                    commentary.c.district,
                    sa.func.max(commentary.c.version).label("newest"),
                )
                .group_by(
                    commentary.c.metric_id,
                    commentary.c.grain,
                    commentary.c.period_label,
                    commentary.c.district,
                )
                .subquery()
            )
            query = query.join(
                maxima,
                sa.and_(
                    commentary.c.metric_id == maxima.c.metric_id,
                    commentary.c.grain == maxima.c.grain,
                    commentary.c.period_label == maxima.c.period_label,
                    commentary.c.district == maxima.c.district,
                    commentary.c.version == maxima.c.newest,
                ),
            )
        query = query.order_by(
            commentary.c.metric_id,
            commentary.c.grain,
            commentary.c.period_label,
            commentary.c.district,
            commentary.c.version,
        )
        with self._connect() as connection:
            return [_commentary(row) for row in connection.execute(query).mappings()]

    # Actions --------------------------------------------------------------------------------

    def add_action(
        self,
        editor: Editor,
        *,
        title: str,
        owner: str,
        due: dt.date,
        metric_id: str | None = None,
        district: str | None = None,
        meeting: dt.date | None = None,
        known_districts: Collection[str] | None = None,
    ) -> Action:
        """Record a new open action; returns it with its id."""
        place = check_district(district, known_districts)
        editor.check(place)
        if metric_id is not None:
            check_metric(metric_id)
        title = check_text(title, "The title").strip()
        if not title:
            raise Refused("the action's title is empty")
        now = self.clock()
        row = {
            "title": title,
            "owner": check_name(owner, "owner"),
            "due": due,
            "status": "open",
            "metric_id": metric_id,
            "district": place,
            "meeting": meeting,
            "created_by": check_name(editor.name, "author"),
            "created_at": now,
            "updated_at": now,
        }
        with self._begin() as connection:
            action_id = connection.execute(sa.insert(actions).values(**row)).inserted_primary_key[0]
            connection.execute(sa.insert(action_history).values(_history(action_id, row, now)))
        return Action(id=action_id, **row)

    def action(self, action_id: int) -> Action:
        with self._connect() as connection:
            row = (
                connection.execute(sa.select(actions).where(actions.c.id == action_id))
                .mappings()
                .first()
            )
        if row is None:
            raise Refused(f"there is no action {action_id}")
        return Action(**row)

    def update_action(
        self,
        editor: Editor,
        action_id: int,
        *,
        status: str | None = None,
        due: dt.date | None = None,
        owner: str | None = None,
    ) -> Action:
        """Change an action's status, due date or owner, keeping the earlier state in history."""
        current = self.action(action_id)
        editor.check(current.district)
        changes: dict[str, object] = {}
        if status is not None:
            changes["status"] = check_status(status)
        if due is not None:
            changes["due"] = due
        if owner is not None:
            changes["owner"] = check_name(owner, "owner")
        if not changes:
            raise Refused("nothing to change: give a new status, due date or owner")
        now = self.clock()
        changes["updated_at"] = now
        row = {**vars(current), **changes}
        row["created_by"] = current.created_by
        with self._begin() as connection:
            connection.execute(sa.update(actions).where(actions.c.id == action_id).values(changes))
            history = _history(action_id, row, now)
            history["changed_by"] = check_name(editor.name, "author")
            connection.execute(sa.insert(action_history).values(history))
        return Action(**row)

    def list_actions(
        self,
        *,
        districts: Collection[str] | None = None,
        status: str | None = None,
        metric_id: str | None = None,
    ) -> list[Action]:
        """Actions matching the filters (``districts`` None: every district and the force)."""
        query = sa.select(actions).order_by(actions.c.id)
        if districts is not None:
            query = query.where(actions.c.district.in_(sorted(districts)))
        if status is not None:
            query = query.where(actions.c.status == status)
        if metric_id is not None:
            query = query.where(actions.c.metric_id == metric_id)
        with self._connect() as connection:
            return [Action(**row) for row in connection.execute(query).mappings()]

    def history(self, action_id: int) -> list[ActionChange]:
        query = (
            sa.select(action_history)
            .where(action_history.c.action_id == action_id)
            .order_by(action_history.c.id)
        )
        with self._connect() as connection:
            return [
                ActionChange(**{k: v for k, v in row.items() if k != "id"})
                for row in connection.execute(query).mappings()
            ]

    def stamp(self) -> tuple:
        """Rows written so far: equal stamps mean nothing was written in between."""
        with self._connect() as connection:
            return (
                connection.execute(sa.select(sa.func.count()).select_from(commentary)).scalar(),
                connection.execute(sa.select(sa.func.count()).select_from(action_history)).scalar(),
            )

    def _connect(self):
        return self.engine.connect()


def _where_key(query, key: CommentaryKey):
    return query.where(
        commentary.c.metric_id == key.metric_id,
        commentary.c.grain == key.grain,
        commentary.c.period_label == key.period_label,
        commentary.c.district == key.district,
    )


def _commentary(row) -> Commentary:
    return Commentary(
        key=CommentaryKey(row["metric_id"], row["grain"], row["period_label"], row["district"]),
        version=row["version"],
        author=row["author"],
        saved_at=row["saved_at"],
        what=row["what"],
        why=row["why"],
        doing=row["doing"],
    )


def _history(action_id: int, row: dict, now: dt.datetime) -> dict:
    return {
        "action_id": action_id,
        "changed_by": row["created_by"],
        "changed_at": now,
        "title": row["title"],
        "owner": row["owner"],
        "due": row["due"],
        "status": row["status"],
    }


def _first_line(error: Exception) -> str:
    text = str(getattr(error, "orig", error)).strip()
    return text.splitlines()[0] if text else type(error).__name__
