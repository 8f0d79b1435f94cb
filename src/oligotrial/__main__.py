"""Allow ``python -m oligotrial``."""

from oligotrial.cli import main

main()
