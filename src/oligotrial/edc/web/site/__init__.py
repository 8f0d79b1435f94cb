"""The site home and the patient summary (read-only pages for site staff)."""
