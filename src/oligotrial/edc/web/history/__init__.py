"""Corrections, field history and queries at the field: pages any record form can link to."""
