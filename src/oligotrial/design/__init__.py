"""design package."""
