"""``python -m app`` is the ``reclaim`` command (for containers and tests without the script)."""

from app.cli import main

main()
