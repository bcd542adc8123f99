"""An answer reaches the escalation's timeline: the one way in, for `escalate-tui listen` and for the
app's long connections alike, so an answer heard by one is seen, and never recorded again, by the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from tui.callbacks.answers import Answer
from tui.domain.lifecycle import Event, EventKind
from tui.domain.text_safety import strip_unsafe
from tui.store.drafts import DraftStore, DraftStoreError
from tui.store.escalations import EscalationError, StoredEvent

KINDS = {"acknowledge": EventKind.ACKNOWLEDGED, "take": EventKind.TAKEN, "need_info": EventKind.NEED_INFO}
_DONE = {"acknowledge": "Acknowledged", "take": "Taken", "need_info": "Need info asked"}
Outcome = Literal["recorded", "duplicate", "unknown", "refused"]


@dataclass(frozen=True)
class Recorded:
    """What became of an answer, with a sentence for the person who clicked and for the log."""

    outcome: Outcome
    message: str
    event: StoredEvent | None = None

    @property
    def ok(self) -> bool:
        """Recorded now or before: the click did what it says."""
        return self.outcome in ("recorded", "duplicate")


def event_of(answer: Answer, now: datetime) -> Event:
    # The clicker's id and the card are kept so a follow-up (a Lark task for whoever took it) can find
    # the person and the app whose card it was.
    return Event(kind=KINDS[answer.action], at=now, who=answer.who, who_id=answer.who_id,
                 link=strip_unsafe(answer.message_ref)[:200],
                 text=answer.question if answer.action == "need_info" else "")


def record_answer(store: DraftStore, answer: Answer, now: datetime) -> Recorded:
    """Put `answer` on its escalation's timeline, once per event id, in one transaction. A duplicate, an
    unknown escalation and a status that does not take the answer are said, never raised."""
    reference = f"ESC-{answer.escalation_id}"
    try:
        stored = store.record_inbound(answer.event_id, answer.source, answer.escalation_id, event_of(answer, now),
                                      now)
    except KeyError:
        return Recorded("unknown", f"There is no escalation {reference} here.")
    except EscalationError as error:
        return Recorded("refused", f"{reference} was not changed: {_reason(str(error))}")
    if stored is None:
        return Recorded("duplicate", f"{reference}: this answer was already recorded.")
    return Recorded("recorded", f"{_DONE[answer.action]} by {answer.who} on {reference}.", stored)


def record_or_say(store: DraftStore, answer: Answer, now: datetime) -> Recorded:
    """`record_answer`, with a database that cannot be written now said as a refusal rather than
    raised: a long connection has no error status to answer with."""
    try:
        return record_answer(store, answer, now)
    except DraftStoreError as error:
        return Recorded("refused", f"ESC-{answer.escalation_id} was not changed: {error}")


def _reason(error: str) -> str:
    """The words after "escalation N cannot take this: ", which the reference already says."""
    return error.split(": ", 1)[1] if ": " in error else error
