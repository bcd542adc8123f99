"""A gated case follows its Lark approval: through a real drafts database, the real outbox worker and
the loopback Lark, a Leadership policy exception sent to a lark_app with an approval configured opens
one instance, stays "approval needed" while Lark says PENDING, and takes the decision Lark records
(who and their comment); a canceled instance leaves the gate in place, said once; a missing
permission stops it with the scope named."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from lark_double import APP_ID, APP_SECRET, APPLICANT, APPROVAL_CODE, APPROVER, CHAT, LarkDouble, Scripted
from outbox_support import NOW, ROOT

from tui.cli import main
from tui.domain.approval import gate_words
from tui.domain.lifecycle import Approval, EventKind
from tui.domain.triage import assess
from tui.render.markdown import render_markdown
from tui.send import approval_follow, lark_app
from tui.send.approval_follow import follow_approvals
from tui.send.card_sync import follow_answers
from tui.send.outbox_worker import deliver_due
from tui.store.brief_file import load_brief
from tui.store.drafts import DraftStore
from tui.store.outbox import OutboxState

ENV = {"LARK_APP_SECRET": APP_SECRET}
FORM = {"widget_summary": {"type": "input", "field": "summary"},
        "widget_details": {"type": "textarea", "field": "brief"}}
RESOLVE = ("--done", "notify_team", "update_ticket", "inform_customer", "record_learnings")


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    lark_app.forget_tokens()
    approval_follow.forget_polls()
    yield
    lark_app.forget_tokens()
    approval_follow.forget_polls()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data: Path) -> Iterator[DraftStore]:
    with DraftStore.open_default(data) as opened:
        yield opened


def config(lark: LarkDouble) -> lark_app.Config:
    return lark_app.Config.model_validate({
        "name": "lead-lark", "type": "lark_app", "app_id": APP_ID, "app_secret_env": "LARK_APP_SECRET",
        "domain": "lark", "receive_id": CHAT, "api_url": lark.url, "approval_code": APPROVAL_CODE,
        "approval_applicant_open_id": APPLICANT, "approval_form": FORM})


def sent_exception(store: DraftStore, client: httpx.Client, lark: LarkDouble, follow: bool = True) -> int:
    """The churn example asking Leadership for an exception to policy, escalated and its card sent."""
    esc = load_brief(ROOT / "examples" / "churn-audit-log.toml")
    esc = esc.model_copy(update={"flags": esc.flags.model_copy(update={"policy_exception": True})})
    case = store.create(esc, NOW)
    assessment = assess(esc, now=NOW)
    store.escalate(case, render_markdown(esc, assessment, NOW.date()), assessment.severity.effective,
                   assessment.target.effective, "Dana", NOW)
    assert store.record(case).approval is Approval.NEEDED
    settings = config(lark)
    payload = lark_app.build(_brief(case, esc, assessment), settings)
    item, _ = store.enqueue(case, payload.destination, "lark_app", payload.title, payload.body,
                            payload.idempotency_key, 1, NOW)
    deliver_due(store, {settings.name: settings}, ENV, client, now=lambda: NOW, cards=follow)
    assert store.send(item.id).state is OutboxState.DELIVERED
    return case


def _brief(case, esc, assessment):  # type: ignore[no-untyped-def]
    from tui.send.model import Brief

    return Brief(case, 1, esc, assessment, render_markdown(esc, assessment, NOW.date()), NOW.date())


def follow(store: DraftStore, client: httpx.Client, lark: LarkDouble, minutes: int) -> approval_follow.ApprovalReport:
    settings = config(lark)
    return follow_approvals(store, {settings.name: settings}, ENV, client, NOW + timedelta(minutes=minutes))


def kinds(store: DraftStore, case: int) -> list[EventKind]:
    return [stored.event.kind for stored in store.timeline(case)]


def words(store: DraftStore, case: int) -> str:
    return gate_words([stored.event for stored in store.timeline(case)])


def approval_in_due(capsys: pytest.CaptureFixture[str], data: Path) -> str:
    assert main(["due", "--json", "--data-dir", str(data), "--now", NOW.isoformat()]) in (0, 1)
    [row] = json.loads(capsys.readouterr().out)
    return str(row["approval"])


def test_the_outbox_round_opens_one_instance_and_an_approval_in_lark_lifts_the_gate(
        capsys: pytest.CaptureFixture[str], data: Path, store: DraftStore, client: httpx.Client,
        lark: LarkDouble) -> None:
    case = sent_exception(store, client, lark)
    # deliver_due ran the approvals after its round: the instance is open and written down.
    [instance] = lark.instances.values()
    assert instance.open_id == APPLICANT
    assert {widget["id"]: widget["type"] for widget in instance.form} == lark.definition
    assert "Leadership" in instance.form[1]["value"]
    [opened] = [stored.event for stored in store.timeline(case) if stored.event.kind is EventKind.APPROVAL_OPENED]
    assert (opened.text, opened.destination) == (instance.code, "lead-lark")
    assert f"Approval opened in Lark approval: {instance.code}" in opened.describe()

    report = follow(store, client, lark, 2)  # reconciled again: the instance is read, not created again
    assert (report.opened, report.pending) == (0, 1)
    assert lark.calls["POST /approval/v4/instances"] == 1
    assert approval_in_due(capsys, data) == "needed"
    assert words(store, case) == "Approval needed — pending in Lark approval"
    assert main(["resolve", str(case), *RESOLVE, "--data-dir", str(data), "--now", NOW.isoformat()]) != 0
    capsys.readouterr()

    lark.decide(instance.code, "APPROVED", comment="One-off for a key account, within the quarter's budget")
    report = follow(store, client, lark, 4)
    assert report.decided == 1
    [decision] = [stored.event for stored in store.timeline(case) if stored.event.kind is EventKind.APPROVED]
    assert (decision.who, decision.reason) == (APPROVER, "One-off for a key account, within the quarter's budget")
    assert approval_in_due(capsys, data) == "approved"
    assert words(store, case) == "Approved"
    assert main(["resolve", str(case), *RESOLVE, "--data-dir", str(data), "--now", NOW.isoformat()]) == 0
    follow(store, client, lark, 6)
    assert lark.calls["GET /approval/v4/instances/:code"] == 2  # a decided (and closed) case is not asked about


def test_status_is_read_at_most_once_a_poll_per_case(store: DraftStore, client: httpx.Client,
                                                     lark: LarkDouble) -> None:
    sent_exception(store, client, lark)
    follow(store, client, lark, 2)
    follow(store, client, lark, 2)  # within the minute: not asked again
    assert lark.calls["GET /approval/v4/instances/:code"] == 1
    follow(store, client, lark, 3)
    assert lark.calls["GET /approval/v4/instances/:code"] == 2


def test_a_rejection_in_lark_is_recorded_with_who_and_a_reason(store: DraftStore, client: httpx.Client,
                                                               lark: LarkDouble) -> None:
    case = sent_exception(store, client, lark)
    [instance] = lark.instances.values()
    lark.decide(instance.code, "REJECTED")  # no comment: the reason says where it was decided
    follow(store, client, lark, 2)
    assert store.record(case).approval is Approval.REJECTED
    [decision] = [stored.event for stored in store.timeline(case) if stored.event.kind is EventKind.REJECTED]
    assert (decision.who, decision.reason) == (APPROVER, f"rejected in Lark approval {instance.code}")


def test_a_canceled_instance_leaves_the_gate_and_says_so_once(store: DraftStore, client: httpx.Client,
                                                              lark: LarkDouble) -> None:
    case = sent_exception(store, client, lark)
    [instance] = lark.instances.values()
    lark.decide(instance.code, "CANCELED", who=APPLICANT)
    report = follow(store, client, lark, 2)
    assert report.withdrawn == 1
    follow(store, client, lark, 4)
    follow(store, client, lark, 6)
    assert store.record(case).approval is Approval.NEEDED
    assert kinds(store, case).count(EventKind.APPROVAL_WITHDRAWN) == 1
    assert lark.calls["POST /approval/v4/instances"] == 1  # no second instance for the same request
    assert lark.calls["GET /approval/v4/instances/:code"] == 1
    [note] = [stored.event for stored in store.timeline(case) if stored.event.kind is EventKind.APPROVAL_WITHDRAWN]
    assert "CANCELED" in note.describe()
    assert "record the decision by hand" in note.describe()
    assert words(store, case) == "Approval needed — withdrawn in Lark approval: record the decision by hand"


def test_a_missing_permission_stops_with_the_scope_named(store: DraftStore, client: httpx.Client,
                                                         lark: LarkDouble) -> None:
    lark.then("POST /approval/v4/instances", Scripted(400, {
        "code": 99991672, "msg": "Access denied. One of the following scopes is required: [approval:approval]",
        "data": {}}))
    case = sent_exception(store, client, lark)
    assert lark.instances == {}
    [failed] = [stored.event for stored in store.timeline(case) if stored.event.kind is EventKind.SEND_FAILED]
    assert failed.destination == "lead-lark"
    assert "approval:approval" in failed.reason
    assert "99991672" in failed.reason
    report = follow(store, client, lark, 2)
    assert report.stopped == 0
    assert lark.calls["POST /approval/v4/instances"] == 1  # stopped: not asked again
    assert store.record(case).approval is Approval.NEEDED
    assert words(store, case) == "Approval needed — the approval is not followed: record the decision by hand"


def test_a_form_the_definition_refuses_says_what_to_fix(store: DraftStore, client: httpx.Client,
                                                        lark: LarkDouble) -> None:
    lark.definition = {"widget_summary": "input", "widget_amount": "number"}
    case = sent_exception(store, client, lark)
    [failed] = [stored.event for stored in store.timeline(case) if stored.event.kind is EventKind.SEND_FAILED]
    assert "approval_form" in failed.reason
    assert "1390001" in failed.reason


def test_a_rate_limit_waits_and_the_next_run_opens_it(store: DraftStore, client: httpx.Client,
                                                      lark: LarkDouble) -> None:
    lark.then("POST /approval/v4/instances", Scripted(429, {"code": 99991400, "msg": "request trigger frequency "
                                                             "limit", "data": {}}, {"x-ogw-ratelimit-reset": "3"}))
    case = sent_exception(store, client, lark)
    assert EventKind.APPROVAL_OPENED not in kinds(store, case)
    report = follow(store, client, lark, 2)
    assert report.opened == 1
    assert len(lark.instances) == 1


def test_a_used_uuid_with_no_instance_written_down_asks_for_the_decision_by_hand(
        store: DraftStore, client: httpx.Client, lark: LarkDouble) -> None:
    # Lark opened it, but the answer was lost: the same uuid now gets 60012 and no instance code.
    lark.then("POST /approval/v4/instances", Scripted(400, {"code": 60012, "msg": "uuid has been used",
                                                            "data": {}}))
    case = sent_exception(store, client, lark)
    [failed] = [stored.event for stored in store.timeline(case) if stored.event.kind is EventKind.SEND_FAILED]
    assert "opened already" in failed.reason
    assert "record the decision by hand" in failed.reason


def test_a_second_create_with_the_same_uuid_is_refused_by_the_double(lark: LarkDouble, client: httpx.Client) -> None:
    from tui.send import lark_approval

    settings = config(lark)
    form = json.dumps([{"id": "widget_summary", "type": "input", "value": "x"},
                       {"id": "widget_details", "type": "textarea", "value": "y"}])
    key = lark_approval.uuid_for("ESC-1/approval/1")
    first = lark_approval.create_instance(client, settings, ENV, NOW, form, key)
    again = lark_approval.create_instance(client, settings, ENV, NOW, form, key)
    assert isinstance(first, lark_approval.Created)
    assert isinstance(again, lark_approval.AlreadyCreated)
    assert len(lark.instances) == 1


def test_approval_check_opens_then_reads_the_lark_approval_and_says_where_the_gate_stands(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: Path,
        store: DraftStore, client: httpx.Client, lark: LarkDouble) -> None:
    case = sent_exception(store, client, lark, follow=False)
    assert lark.instances == {}
    settings = tmp_path / "config.toml"
    settings.write_text(f"""
[[destinations]]
name = "lead-lark"
type = "lark_app"
app_id = "{APP_ID}"
app_secret_env = "LARK_APP_SECRET"
domain = "lark"
receive_id = "{CHAT}"
api_url = "{lark.url}"
approval_code = "{APPROVAL_CODE}"
approval_applicant_open_id = "{APPLICANT}"

[destinations.approval_form]
widget_summary = {{ type = "input", field = "summary" }}
widget_details = {{ type = "textarea", field = "brief" }}
""", encoding="utf-8")
    monkeypatch.setenv("LARK_APP_SECRET", APP_SECRET)

    def check() -> tuple[int, str]:
        code = main(["approval", str(case), "--check", "--config", str(settings), "--data-dir", str(data),
                     "--now", NOW.isoformat()])
        out, err = capsys.readouterr()
        assert "warning" not in err
        return code, out

    code, out = check()
    [instance] = lark.instances.values()
    assert code == 0
    assert out.splitlines() == [f"#{case}: Lark approval {instance.code} opened",
                                f"#{case} Approval needed — pending in Lark approval"]
    assert check() == (0, f"#{case} Approval needed — pending in Lark approval\n")
    lark.decide(instance.code, "APPROVED", comment="fine")
    code, out = check()
    assert out.splitlines()[-1] == f"#{case} Approved"
    assert lark.calls["POST /approval/v4/instances"] == 1


def test_approval_check_without_a_lark_approval_says_to_record_it_by_hand(
        capsys: pytest.CaptureFixture[str], data: Path, store: DraftStore) -> None:
    esc = load_brief(ROOT / "examples" / "churn-audit-log.toml")
    esc = esc.model_copy(update={"flags": esc.flags.model_copy(update={"policy_exception": True})})
    case = store.create(esc, NOW)
    assessment = assess(esc, now=NOW)
    store.escalate(case, "brief", assessment.severity.effective, assessment.target.effective, "Dana", NOW)
    assert main(["approval", str(case), "--check", "--data-dir", str(data), "--now", NOW.isoformat()]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"#{case} Approval needed: it was not sent to a lark_app destination with an "
                          "approval_code, so record the decision by hand")


def test_listen_follows_the_approval_and_the_card_shows_the_decision(
        store: DraftStore, client: httpx.Client, lark: LarkDouble) -> None:
    case = sent_exception(store, client, lark, follow=False)
    settings = config(lark)
    started = time.monotonic()
    stop = threading.Event()
    follower = threading.Thread(target=follow_answers, args=(store, {settings.name: settings}, ENV, stop),
                                kwargs={"poll": 0.02, "clock": lambda: NOW + timedelta(
                                    seconds=(time.monotonic() - started) * 600)}, daemon=True)
    follower.start()
    try:
        assert wait_for(lambda: bool(lark.instances))
        [instance] = lark.instances.values()
        lark.decide(instance.code, "APPROVED", comment="ok for this account")
        assert wait_for(lambda: store.record(case).approval is Approval.APPROVED)
        assert wait_for(lambda: any(message.updates for message in lark.messages.values()))
    finally:
        stop.set()
        follower.join(10)
    [message] = lark.messages.values()
    assert "Approved" in message.updates[-1]


def wait_for(check: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False
