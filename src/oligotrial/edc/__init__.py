"""The trial database: Django models, migrations, services (the one write path), audit trail.

Nothing here connects or reads the environment at import time: call
:func:`oligotrial.edc.settings.configure` first (the CLI and the web app do).
"""
