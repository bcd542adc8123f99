"""The sample callback payloads of tests/callbacks/data, fresh copies each time, and small edits of them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
_LARK = json.loads((DATA / "lark_card_action_trigger.json").read_text(encoding="utf-8"))
_SLACK = json.loads((DATA / "slack_block_actions.json").read_text(encoding="utf-8"))


def lark_click(action: str = "take", escalation: str = "42", event_id: str | None = None) -> dict[str, Any]:
    payload = copy.deepcopy(_LARK)
    payload["event"]["action"]["value"] = {"escalate_tui": 1, "action": action, "escalation": escalation}
    if event_id is not None:
        payload["header"]["event_id"] = event_id
    return payload


def slack_click(action: str = "take", escalation: str = "42", action_ts: str | None = None) -> dict[str, Any]:
    payload = copy.deepcopy(_SLACK)
    first = payload["actions"][0]
    first.update(action_id=f"escalate_tui.{action}", block_id=f"escalate_tui.{escalation}", value=escalation)
    if action_ts is not None:
        first["action_ts"] = action_ts
    return payload
