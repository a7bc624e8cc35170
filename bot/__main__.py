"""``python -m bot`` runs the ``callops`` command line."""

from bot.cli import main

raise SystemExit(main())
