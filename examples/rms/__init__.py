"""A crime recording system (RMS) export and the query files that map it onto the contract."""

from pathlib import Path

QUERIES_DIR = Path(__file__).parent / "queries"
