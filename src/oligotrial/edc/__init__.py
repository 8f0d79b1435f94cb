"""edc package."""
