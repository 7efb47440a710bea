"""Presentation: the Streamlit governance dashboard over the metric engine (``streamlit run``)."""
