"""Metrics the source cannot give: named as not collected, with the reason, never shown as zero."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from metrics import REGISTRY


def not_collected_note(not_collected: Mapping[str, str]) -> None:
    """A box naming each metric the source does not collect the data for, and what is missing."""
    if not not_collected:
        return
    with st.container(border=True, key="not_collected"):
        st.markdown(f"**Not collected** ({len(not_collected)} KPIs)")
        st.caption(
            "The source does not hold the data these KPIs need, so they are not shown (they "
            "are not zero). `kpi doctor` lists what each one needs."
        )
        for metric_id, reason in not_collected.items():
            title = REGISTRY.get(metric_id).title if metric_id in REGISTRY else metric_id
            st.text(f"{title} — {reason}")
