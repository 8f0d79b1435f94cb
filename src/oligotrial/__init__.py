"""oligotrial: the software that runs trial NCT06841172 from screening to final analysis."""

__version__ = "0.1.0"
