"""A Lark task for whoever took the escalation on its card (chat-apps.md §2.5): assigned to the
clicker's open_id, due at the next internal check-in, with the severity, the team, the ask and the
check-in in its description. Its ``client_token`` comes from the escalation and the take, so one
take gives one task however often the call is made."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from tui.domain.timetext import moment
from tui.send import lark_app
from tui.send.brief_text import first_items, one_line
from tui.send.model import Brief, JsonValue, Outcome

if TYPE_CHECKING:
    import httpx

TEXT_LIMIT = 3000  # characters of a task's summary or description
ASK_HEADING = "What's Needed"


def client_token(escalation_id: int, taken_event_id: int) -> str:
    return f"esc{escalation_id}-take{taken_event_id}-task"


def task_body(brief: Brief, open_id: str, due: datetime, taken_event_id: int, zone: tzinfo) -> dict[str, JsonValue]:
    """The task as Lark takes it: pure, from the brief, the clicker and the check-in time."""
    summary = brief.esc.summary or "Escalation without a summary"
    ask = first_items(brief.markdown).get(ASK_HEADING, "")
    lines = [f"Severity: {brief.assessment.severity.effective.label}",
             f"Target team: {brief.assessment.target.effective.label}",
             f"The ask: {ask or 'see the brief'}",
             f"Next internal check-in: {moment(due.astimezone(zone))}"]
    return {"summary": one_line(f"Follow up {brief.reference}: {summary}", TEXT_LIMIT),
            "description": "\n".join(one_line(line, 600) for line in lines)[:TEXT_LIMIT],
            "due": {"timestamp": str(int(due.timestamp() * 1000)), "is_all_day": False},
            "members": [{"id": open_id, "type": "user", "role": "assignee"}],
            "client_token": client_token(brief.escalation_id, taken_event_id)}


def create_task(client: httpx.Client, config: lark_app.Config, env: Mapping[str, str], now: datetime,
                body: JsonValue) -> Outcome:
    """Create the task; delivered with its guid and the link Lark gives (its guid when none)."""
    answer = lark_app.call_for_data(client, config, env, now, "POST", "/task/v2/tasks?user_id_type=open_id", body,
                                    "creating the follow-up task", "task:task:write")
    if isinstance(answer, Outcome):
        return answer
    task = answer.get("task")
    guid = task.get("guid") if isinstance(task, dict) else None
    url = task.get("url") if isinstance(task, dict) else None
    if not isinstance(guid, str) or not guid:
        # The same client_token gives the same task again, so asking again tells its guid.
        return Outcome.retry(f"lark_app destination {config.name!r}: Lark made the task but did not say its id")
    link = url if isinstance(url, str) and url.startswith("https://") else guid
    return Outcome.delivered(remote_id=guid, remote_url=link, message="task created")
