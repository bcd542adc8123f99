"""`python -m tui` runs the same entry point as the `escalate-tui` command."""

from tui.cli import main

raise SystemExit(main())
