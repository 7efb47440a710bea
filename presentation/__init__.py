"""The presentation core: labels, numbers, SPC words and chart specs, without Streamlit.

Used by ``dashboard/``, ``packs/`` and ``kpi/`` alike, so every arrow points one way:
data in (``queries/``) → meaning (``metrics/``) → this package → the app, packs and commands.
"""
