"""endpoints package."""
