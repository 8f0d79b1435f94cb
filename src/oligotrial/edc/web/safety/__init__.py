"""Adverse events in the browser: the CTCAE v5.0 term picker, the grade with the term's
definitions, and the form that records an event through the record service."""
