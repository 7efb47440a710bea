"""Actions: the meeting's action log, filtered, downloaded, added to and updated."""

import datetime as dt

import polars as pl
import streamlit as st

from dashboard.context import page_header, require_filters
from dashboard.exports import download_buttons, file_stem
from dashboard.meeting_panel import (
    STORE_ERRORS,
    app_store,
    editor_for,
    plain,
    session_access,
    store_message,
    visible_districts,
)
from meeting import STATUSES, NotAllowed, Refused, actions_frame
from metrics import ALL_DISTRICTS, REGISTRY

ANY = "Any"
FORCE = "The force (All)"

dataset, filters = require_filters()
access = session_access()
page_header("Actions")
st.caption(
    "What the meeting agreed to do, with an owner and a due date, and whether it was done. "
    "Every change is kept in the action's history."
)
store, problem = app_store()
if store is None:
    store_message(problem)
    st.stop()

known = dataset.districts["district"].to_list()
places = ([ALL_DISTRICTS] if access.force_wide else []) + known
flash = st.session_state.pop("actions_flash", None)
if flash:
    st.success(flash, icon=":material/check:")

try:
    rows = store.list_actions(districts=visible_districts(access))
except STORE_ERRORS as error:
    store_message(str(error).splitlines()[0])
    st.stop()
log = actions_frame(rows)
today = dt.date.today()
log = log.with_columns(
    ((pl.col("status") == "open") & (pl.col("due") < today)).alias("overdue"),
)

left, middle, right, far = st.columns(4)
status = left.selectbox("Status", [ANY, *STATUSES], key="actions_status")
owner = middle.selectbox("Owner", [ANY, *sorted(log["owner"].unique())], key="actions_owner")
district = right.selectbox(
    "District",
    [ANY, *places],
    format_func=lambda name: FORCE if name == ALL_DISTRICTS else name,
    key="actions_district",
)
metric_id = far.selectbox(
    "KPI",
    [ANY, *REGISTRY.ids],
    format_func=lambda name: name if name == ANY else REGISTRY.get(name).title,
    key="actions_metric",
)
shown = log
for column, value in (
    ("status", status),
    ("owner", owner),
    ("district", district),
    ("metric_id", metric_id),
):
    if value != ANY:
        shown = shown.filter(pl.col(column) == value)
overdue = shown.filter(pl.col("overdue")).height
st.markdown(
    f"**{shown.height}** action{'' if shown.height == 1 else 's'} shown, "
    f"**{overdue}** overdue (open and past the due date, today {today:%d %b %Y})."
)
st.dataframe(shown, hide_index=True, width="stretch", key="actions_log")
download_buttons(shown, file_stem("actions", today.isoformat()), sheet="Actions", key="actions")

if rows:
    with st.expander("History of an action", icon=":material/history:"):
        which = st.selectbox("Action", [row.id for row in rows], key="history_id")
        history = pl.DataFrame([vars(change) for change in store.history(which)])
        st.dataframe(history, hide_index=True, key="action_history")

editor, why_not = editor_for(access)
if editor is None:
    st.caption(why_not)
    st.stop()

st.subheader("Add an action")
with st.form("action_add", clear_on_submit=True):
    title = st.text_area("What will be done", key="action_title", height=80)
    new_owner = st.text_input("Owner", key="action_owner")
    one, two, three, four = st.columns(4)
    due = one.date_input("Due", value=today + dt.timedelta(days=28), key="action_due")
    meeting = two.date_input("Agreed at the meeting of", value=today, key="action_meeting")
    place = three.selectbox(
        "District",
        places,
        format_func=lambda name: FORCE if name == ALL_DISTRICTS else name,
        key="action_place",
    )
    linked = four.selectbox(
        "KPI (optional)",
        ["", *REGISTRY.ids],
        format_func=lambda name: "None" if not name else REGISTRY.get(name).title,
        key="action_metric",
    )
    added = st.form_submit_button("Add action", icon=":material/add_task:")
if added:
    try:
        action = store.add_action(
            editor,
            title=title,
            owner=new_owner,
            due=due,
            metric_id=linked or None,
            district=place,
            meeting=meeting,
            known_districts=known,
        )
    except (Refused, NotAllowed) as error:
        st.error(plain(str(error)), icon=":material/block:")
    except STORE_ERRORS as error:
        store_message(str(error).splitlines()[0])
    else:
        st.session_state["actions_flash"] = f"Added action {action.id}."
        st.rerun()

mine = [row for row in rows if editor.may_write(row.district)]
if mine:
    st.subheader("Update an action")
    with st.form("action_update"):
        chosen = st.selectbox(
            "Action",
            [row.id for row in mine],
            format_func=lambda i: f"{i}: {next(r.title for r in mine if r.id == i)[:80]}",
            key="update_id",
        )
        one, two, three = st.columns(3)
        new_status = one.selectbox("New status", STATUSES, key="update_status")
        new_due = two.date_input("New due date (optional)", value=None, key="update_due")
        new_owner = three.text_input("New owner (optional)", key="update_owner")
        updated = st.form_submit_button("Update action", icon=":material/edit_note:")
    if updated:
        try:
            action = store.update_action(
                editor, chosen, status=new_status, due=new_due, owner=new_owner.strip() or None
            )
        except (Refused, NotAllowed) as error:
            st.error(plain(str(error)), icon=":material/block:")
        except STORE_ERRORS as error:
            store_message(str(error).splitlines()[0])
        else:
            st.session_state["actions_flash"] = f"Action {action.id} is now {action.status}."
            st.rerun()
