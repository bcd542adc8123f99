"""Answers coming back from chat apps: a button clicked on a card (Acknowledge, Take, Need info)
becomes an event on the escalation's timeline.

- `signing`: the platforms' request signatures and Lark's encryption (pure).
- `answers`: `Answer`, and the parsers of Lark's `card.action.trigger` and Slack's `block_actions` (pure).
- `record`: `record_answer`, the one way an answer reaches the store, whichever way it came in.
- `receiver`: the HTTP receiver `escalate-tui listen` runs.
"""
