"""Locale and time-zone selection, the ``?lang=`` switch, and formatting helpers."""
