"""The trial office's pages: queries across sites, source data verification, the audit
trail, data cuts and the dashboard."""
