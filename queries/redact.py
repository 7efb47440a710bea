"""Passwords out of every message: a URL's password, and password-like query values, as ``***``.

Used wherever text may reach a person or a log: error messages, page captions, log records.
It works on text that does not parse as a URL too (a typo is exactly when a URL gets echoed),
and, given the configured URLs, also removes their secrets wherever they appear verbatim.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit

HIDDEN = "***"
# ``scheme://user:password@`` (the ``:`` after the scheme may be missing, as in a typo); the
# password runs to the last ``@`` before a space or a quote, as a URL parser would take it.
# The look-behind starts a match only at the start of a word, so a long run of letters is
# scanned once, not once per letter.
_USERINFO = re.compile(
    r"(?P<keep>(?<![\w+.\-])[A-Za-z][\w+.\-]*:?//[^\s:/@'\"]*:)(?P<secret>[^\s'\"]*)@"
)
_SECRET_KEYS = r"[\w.\-]*(?:pass|pwd|secret|token|key|credential)[\w.\-]*"
_QUERY = re.compile(rf"(?P<keep>(?<![\w.\-]){_SECRET_KEYS}=)(?P<secret>[^&\s'\"]*)", re.I)
_SECRET_KEY = re.compile(rf"^{_SECRET_KEYS}$", re.I)
# Shorter values are not replaced wherever they appear (they would blank ordinary words); the
# patterns above still hide them in their place in a URL.
_MIN_VERBATIM = 4


def secrets_in(url: object) -> set[str]:
    """The password and password-like query values of a URL, parsed or not, as written."""
    if not isinstance(url, str) or not url:
        return set()
    found = {match["secret"] for match in _USERINFO.finditer(url)}
    found |= {match["secret"] for match in _QUERY.finditer(url)}
    try:
        query = urlsplit(url.strip()).query
        found |= {value for key, value in parse_qsl(query) if _SECRET_KEY.match(key)}
    except ValueError:
        pass
    variants = set()
    for value in found:
        variants |= {value, unquote(value), quote(unquote(value), safe="")}
    return {value for value in variants if len(value) >= _MIN_VERBATIM}


def redact(text: object, *urls: object) -> str:
    """The text with every password hidden: in URL form, and the given URLs' secrets anywhere."""
    result = str(text)
    for secret in sorted(set().union(*(secrets_in(url) for url in urls)), key=len, reverse=True):
        result = result.replace(secret, HIDDEN)
    result = _USERINFO.sub(lambda match: f"{match['keep']}{HIDDEN}@", result)
    return _QUERY.sub(lambda match: f"{match['keep']}{HIDDEN}", result)


class RedactingFilter(logging.Filter):
    """Rewrites each record, its arguments and traceback, without passwords, before any handler.

    On a logger (not a handler), so every handler the record reaches sees the rewritten text.
    """

    def __init__(self, *urls: object) -> None:
        super().__init__()
        self.urls = urls

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), *self.urls)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, *self.urls)
        return True
