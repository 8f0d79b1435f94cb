"""response package."""
