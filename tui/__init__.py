"""escalate-tui: escalation briefs from the terminal."""

__version__ = "0.1.0"
