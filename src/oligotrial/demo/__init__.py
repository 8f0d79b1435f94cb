"""A whole synthetic trial through the product, end to end (``oligotrial demo``)."""

from oligotrial.demo.run import DemoOptions, DemoResult, existing_demo, run_demo

__all__ = ["DemoOptions", "DemoResult", "existing_demo", "run_demo"]
