"""Progress on stderr for long work, shown only when stderr is a terminal."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """One self-overwriting status line; notes are always printed, on lines of their own."""

    def __init__(self, stream: TextIO, interval: float = 0.2) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._interval = interval
        self._last = 0.0
        self._open = False

    def _show(self, text: str) -> None:
        now = time.monotonic()
        if not self._live or now - self._last < self._interval:
            return
        self._last = now
        self._stream.write(f"\r\033[K{text}")
        self._stream.flush()
        self._open = True

    def rows(self, table: str, rows: int) -> None:
        """Rows read so far from a table."""
        self._show(f"reading {table}: {rows:,} rows")

    def stage(self, stage: str, done: int, total: int) -> None:
        """Work done so far in a stage of known size."""
        share = done / total if total else 1.0
        self._show(f"{stage}: {done:,} of {total:,} ({share:.0%})")

    def done(self) -> None:
        """Clear the status line."""
        if self._open:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._open = False

    def note(self, text: str) -> None:
        """A line worth keeping, such as a summary."""
        self.done()
        self._stream.write(text + "\n")
        self._stream.flush()
