"""The meeting's record in the app: commentary on the metric page, actions, overdue actions.

Everything a user wrote is shown with ``st.text`` (or in a data frame), never as Markdown or
HTML, so ``<script>`` appears as typed. Every write goes through ``meeting.Store`` with this
session's ``Editor``, which checks the district on the server whatever the page offered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time

import sqlalchemy as sa
import streamlit as st

from dashboard.access import Access
from dashboard.context import current
from dashboard.secrets_file import secret as _secret
from meeting import (
    NOT_SIGNED_IN,
    SECTIONS,
    Commentary,
    CommentaryKey,
    Conflict,
    Editor,
    NotAllowed,
    Refused,
    Store,
    Unavailable,
    actions_frame,
    app_database_url,
    open_edits_allowed,
)
from meeting.tables import timestamp
from metrics import ALL_DISTRICTS, Grain
from metrics.periods import parse_label
from packs.meeting_record import PackRecord, pack_record

# A database that failed is tried again after this many seconds, not on every rerun.
RETRY_AFTER = 30.0
_FAILURES: dict[str, tuple[float, str]] = {}
STORE_ERRORS = (Unavailable, sa.exc.SQLAlchemyError, OSError)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: str) -> str:
    """Text for a Markdown element, every special character escaped: shown as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    """One store per URL per server process, migrated once (a failure is not cached)."""
    return Store(url)


def app_store() -> tuple[Store | None, str]:
    """The app database, or None and why not (the figures work without it)."""
    url, origin = app_database_url(secret=_secret("app_database_url"))
    failed = _FAILURES.get(url)
    if failed is not None and time.monotonic() - failed[0] < RETRY_AFTER:
        return None, failed[1]
    try:
        return _open_store(url), ""
    except Unavailable as error:
        message = str(error)
    except Exception as error:  # the promise is a message, never a traceback
        logging.getLogger(__name__).exception("opening the app database (from %s)", origin)
        message = f"the app database (set by {origin}) cannot be opened: {type(error).__name__}"
    _FAILURES[url] = (time.monotonic(), message)
    return None, message


def session_access() -> Access:
    view = current()
    if view is None:
        raise RuntimeError("the meeting panels run inside the app's pages")
    return view.access


def editor_for(access: Access) -> tuple[Editor | None, str]:
    """Who writes, or None and why editing is off."""
    if access.sign_in_configured:
        if not access.signed_in_as:
            return None, "Sign in to edit."
        return Editor(access.signed_in_as, access.districts), ""
    if open_edits_allowed(_secret("allow_open_edits")):
        return Editor(NOT_SIGNED_IN, None), ""
    return None, (
        "Editing is off: sign-in is not configured. An administrator can allow edits without "
        "sign-in with allow_open_edits in the secrets or KPI_ALLOW_OPEN_EDITS=1."
    )


def visible_districts(access: Access) -> list[str] | None:
    """The districts whose commentary and actions this session may read (None: all)."""
    return None if access.force_wide else sorted(access.districts or ())


def store_message(message: str) -> None:
    st.warning(
        "**The app database cannot be reached**, so commentary and actions are not shown and "
        "editing is off. The figures are not affected.",
        icon=":material/cloud_off:",
    )
    st.text(message)


def save_commentary(
    access: Access,
    store: Store,
    key: CommentaryKey,
    texts: dict[str, str],
    based_on: int,
) -> Commentary:
    """The page's one write path for commentary: this session's editor, checked by the store."""
    editor, why_not = editor_for(access)
    if editor is None:
        raise NotAllowed(why_not)
    return store.save_commentary(editor, key, texts, based_on=based_on)


def _key_hash(key: CommentaryKey) -> str:
    return hashlib.sha1("|".join(vars(key).values()).encode()).hexdigest()[:12]


def _show_version(version: Commentary) -> None:
    for name, words in SECTIONS.items():
        st.markdown(f"**{words}**")
        st.text(getattr(version, name) or "—")


def _byline(version: Commentary) -> str:
    return f"Version {version.version} · {version.author} · {timestamp(version.saved_at)} (UTC)"


def commentary_panel(key: CommentaryKey, place: str) -> None:
    """The commentary for one KPI, period and district: latest, edit form, history."""
    access = session_access()
    st.subheader("Commentary")
    st.caption(
        f"What the chart tells us, why, and what we are doing: {plain(place)}, "
        f"{plain(key.period_label)}. Text is shown exactly as written."
    )
    store, problem = app_store()
    if store is None:
        store_message(problem)
        return
    try:
        versions = store.versions(key)
    except STORE_ERRORS as error:
        store_message(str(error).splitlines()[0])
        return
    latest = versions[0] if versions else None
    h = _key_hash(key)
    flash = st.session_state.pop(f"cm_flash_{h}", None)
    if flash:
        st.success(flash, icon=":material/check:")
    with st.container(border=True, key=f"commentary_latest_{h}"):
        if latest is None:
            st.caption("No commentary yet for this KPI, period and district.")
        else:
            st.text(_byline(latest))
            _show_version(latest)
    editor, why_not = editor_for(access)
    if editor is not None and not editor.may_write(key.district):
        editor, why_not = None, "Your role may write commentary only for your own districts."
    if editor is None:
        st.caption(why_not)
    else:
        _edit_form(access, store, key, latest, h)
    if len(versions) > 1:
        with st.expander(f"Version history ({len(versions)} versions)", icon=":material/history:"):
            for version in versions:
                st.text(_byline(version))
                _show_version(version)
                st.divider()


def _edit_form(
    access: Access, store: Store, key: CommentaryKey, latest: Commentary | None, h: str
) -> None:
    base_key = f"cm_base_{h}"
    if base_key not in st.session_state:
        st.session_state[base_key] = 0 if latest is None else latest.version
        for name in SECTIONS:
            st.session_state[f"cm_{name}_{h}"] = "" if latest is None else getattr(latest, name)
    conflict: Conflict | None = st.session_state.get(f"cm_conflict_{h}")
    if conflict is not None:
        _show_conflict(conflict, h)
    base = st.session_state[base_key]
    with st.form(f"commentary_form_{h}", border=True):
        st.markdown(f"**Edit** (starting from version {base})" if base else "**Write commentary**")
        for name, words in SECTIONS.items():
            st.text_area(words, key=f"cm_{name}_{h}", height=110)
        submitted = st.form_submit_button("Save commentary", icon=":material/save:")
    if not submitted:
        return
    texts = {name: st.session_state[f"cm_{name}_{h}"] for name in SECTIONS}
    try:
        saved = save_commentary(access, store, key, texts, based_on=base)
    except Conflict as error:
        st.session_state[f"cm_conflict_{h}"] = error
        st.rerun()
    except (Refused, NotAllowed) as error:
        st.error(plain(str(error)), icon=":material/block:")
        return
    except STORE_ERRORS as error:
        store_message(str(error).splitlines()[0])
        return
    st.session_state[base_key] = saved.version
    st.session_state.pop(f"cm_conflict_{h}", None)
    st.session_state[f"cm_flash_{h}"] = f"Saved as version {saved.version}."
    st.rerun()


def _show_conflict(conflict: Conflict, h: str) -> None:
    latest = conflict.latest
    with st.container(border=True, key=f"commentary_conflict_{h}"):
        st.error(
            f"**Not saved.** Version {latest.version} was saved by someone else after you "
            f"started from version {conflict.based_on}. Both texts are below, so nothing is "
            "lost: merge them in the form, then save again.",
            icon=":material/sync_problem:",
        )
        theirs, yours = st.columns(2)
        with theirs:
            st.markdown(f"**Saved first (version {latest.version})**")
            st.text(_byline(latest))
            _show_version(latest)
        with yours:
            st.markdown("**Yours (not saved)**")
            for name, words in SECTIONS.items():
                st.markdown(f"**{words}**")
                st.text(conflict.yours.get(name) or "—")
        if st.button(
            f"Edit from version {latest.version}, keeping my text in the form",
            key=f"cm_rebase_{h}",
            icon=":material/merge:",
        ):
            st.session_state[f"cm_base_{h}"] = latest.version
            st.session_state.pop(f"cm_conflict_{h}", None)
            st.rerun()


def overdue_panel(district: str, today: dt.date | None = None) -> None:
    """Overdue open actions for the districts in view (the force: every visible action)."""
    access = session_access()
    store, _problem = app_store()
    if store is None:
        return  # the overview's figures stand alone; the Actions page says why
    districts = visible_districts(access) if district == ALL_DISTRICTS else [district]
    try:
        rows = store.list_actions(districts=districts, status="open")
    except STORE_ERRORS:
        return
    today = today or dt.date.today()
    overdue = [row for row in rows if row.overdue(today)]
    if not overdue:
        return
    count = len(overdue)
    st.warning(
        f"**{count} overdue action{'' if count == 1 else 's'}** (open, past the due date). "
        "The Actions page holds the whole log.",
        icon=":material/assignment_late:",
    )
    st.dataframe(
        actions_frame(overdue).select(
            "action_id", "title", "owner", "due", "district", "metric_id"
        ),
        hide_index=True,
        key="overdue_actions",
    )


def actions_for_metric(metric_id: str) -> None:
    """The actions linked to one KPI that this session may see."""
    access = session_access()
    st.subheader("Actions on this KPI")
    store, problem = app_store()
    if store is None:
        st.caption(plain(problem))
        return
    try:
        rows = store.list_actions(districts=visible_districts(access), metric_id=metric_id)
    except STORE_ERRORS as error:
        store_message(str(error).splitlines()[0])
        return
    if not rows:
        st.caption("No actions are linked to this KPI. The Actions page adds them.")
        return
    st.dataframe(
        actions_frame(rows).select("action_id", "title", "owner", "due", "status", "district"),
        hide_index=True,
        key="metric_actions",
    )


def metric_record(metric_id: str, filters) -> None:
    """The metric page's part: commentary for the period and district in view, and actions."""
    key = CommentaryKey(metric_id, filters.grain.value, filters.end_label, filters.district)
    commentary_panel(key, filters.district_label)
    actions_for_metric(metric_id)


def record_stamp() -> tuple:
    """Changes whenever commentary or actions change: part of a cached pack's key."""
    store, _problem = app_store()
    if store is None:
        return ()
    try:
        return store.stamp()
    except STORE_ERRORS:
        return ()


def pack_record_for(grain: Grain, period_label: str, district: str) -> PackRecord | None:
    """The commentary and actions a pack of this view prints (None: the app database is down)."""
    store, _problem = app_store()
    if store is None:
        return None
    try:
        return pack_record(
            store,
            grain=grain,
            period_label=period_label,
            period_start=parse_label(period_label, grain),
            district=district,
            as_of=dt.date.today(),
        )
    except STORE_ERRORS:
        return None
