"""The ``kpi`` command line."""
