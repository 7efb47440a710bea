"""Worked examples: sources shaped the way forces really hold their data."""
