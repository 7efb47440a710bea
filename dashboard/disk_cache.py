"""A persistent cache of the computed dataset, so a restart or a new worker opens at once.

The key is the source's identity (its URL without password, and its query files) plus a
fingerprint that changes when the data change (``queries.fingerprint``) plus a digest of
the code that reads, validates and computes, so a changed source or a changed metric is
computed afresh, never served stale.

The cache holds every district's figures and the validation report's row keys, so it is
kept where only the service account can read it: the folder is created with mode 0700 and
every file 0600 (see SECURITY.md). ``KPI_CACHE_DIR`` names the folder (default
``data/cache`` under the working directory); ``KPI_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

CACHE_DIR_ENV = "KPI_CACHE_DIR"
DEFAULT_CACHE_DIR = Path("data") / "cache"
KEEP = 4  # entries kept; older ones are removed
FORMAT = b"kpi-dataset-cache-1\n"

log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    setting = os.environ.get(CACHE_DIR_ENV, "").strip()
    if setting.lower() in ("off", "0", "false", "none"):
        return None
    return Path(setting) if setting else DEFAULT_CACHE_DIR


@functools.cache
def code_digest() -> str:
    """A digest of the code that turns a source into figures: any change invalidates the cache."""
    import dashboard.data
    import metrics
    import queries

    files = []
    for package in (metrics, queries):
        files += sorted(Path(package.__file__).parent.rglob("*.py"))
    files.append(Path(dashboard.data.__file__))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(label: str, queries_dir: str | None, fingerprint: str) -> str:
    parts = (label, str(queries_dir), fingerprint, code_digest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def load(key: str):
    """The cached dataset for this key, or None (a missing or unreadable entry is a miss)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}.pickle"
    try:
        with path.open("rb") as file:
            if file.read(len(FORMAT)) != FORMAT:
                return None
            return pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged entry is recomputed, never fatal
        log.warning("ignoring the unreadable cache entry %s: %s", path, error)
        return None


def save(key: str, dataset) -> None:
    """Store the dataset (readable by the service account only); failures are logged, not fatal."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-")  # mode 0600
        with os.fdopen(handle, "wb") as file:
            file.write(FORMAT)
            pickle.dump(dataset, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{key}.pickle")
        _prune(folder)
    except OSError as error:
        log.warning("could not write the dataset cache in %s: %s", folder, error)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
