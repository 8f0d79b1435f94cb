"""Pages of the trial office: data cuts, dashboards."""
