"""The synthetic demo data: not part of reading a force's data, so outside ``queries/``."""
