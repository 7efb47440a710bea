"""The meeting's record: commentary and actions, kept in the app database of the product's own.

Streamlit-free: the app, the packs and the ``kpi`` command all write through ``Store``, which
checks every value and the editor's districts before anything is stored.
"""

from meeting.access import NOT_SIGNED_IN, Editor, NotAllowed
from meeting.checks import MAX_TEXT, SECTIONS, STATUSES, CommentaryKey, Refused, check_key
from meeting.config import (
    ALLOW_OPEN_EDITS_ENV,
    APP_DATABASE_URL_ENV,
    DEFAULT_APP_DATABASE_URL,
    app_database_url,
    open_edits_allowed,
)
from meeting.store import Action, ActionChange, Commentary, Conflict, Store, Unavailable, upgrade
from meeting.tables import actions_frame, commentary_frame

__all__ = [
    "ALLOW_OPEN_EDITS_ENV",
    "APP_DATABASE_URL_ENV",
    "DEFAULT_APP_DATABASE_URL",
    "MAX_TEXT",
    "NOT_SIGNED_IN",
    "SECTIONS",
    "STATUSES",
    "Action",
    "ActionChange",
    "Commentary",
    "CommentaryKey",
    "Conflict",
    "Editor",
    "NotAllowed",
    "Refused",
    "Store",
    "Unavailable",
    "actions_frame",
    "app_database_url",
    "check_key",
    "commentary_frame",
    "open_edits_allowed",
    "upgrade",
]
