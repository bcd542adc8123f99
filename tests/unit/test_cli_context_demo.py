"""`escalate-tui --demo context`: the done-when of issue 13 from the command line, on the sample workspace
and the real local source. Skipped until the local source type is part of the build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.sources.kinds import KIND_NAMES
from tui.store.brief_file import load_brief

pytestmark = pytest.mark.skipif("local" not in KIND_NAMES, reason="the local source type has not landed yet")


def test_demo_finds_export_missing_rows_from_three_customers_and_attaches_them_with_the_account(
        isolated: Path, capsys) -> None:
    brief = isolated / "brief.toml"
    assert main(["new", "Data export missing rows", "--customer", "Kestrel Analytics", "-o", str(brief)]) == 0
    capsys.readouterr()

    assert main(["--demo", "context", str(brief), "--query", "export missing rows", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    tickets = [item for item in items if item["kind"] == "ticket"]
    assert len({item["customer"] for item in tickets}) >= 3
    assert all(item["id"] and item["source"] == "demo" for item in items)

    assert main(["--demo", "context", str(brief), "--query", "Kestrel Analytics", "--json"]) == 0
    accounts = [item for item in json.loads(capsys.readouterr().out) if item["kind"] == "account"]
    assert accounts, "the account of the brief's customer is found"

    picked = [item["id"] for item in tickets[:3]]
    assert main(["--demo", "context", str(brief), "--query", "export missing rows", "--attach", *picked]) == 0
    esc = load_brief(brief)
    assert len(esc.context) == 3
    assert (isolated / "data" / "escalate-tui" / "demo" / "drafts.sqlite3").is_file()


def test_an_id_not_found_changes_nothing(isolated: Path, capsys) -> None:
    brief = isolated / "brief.toml"
    assert main(["new", "Data export missing rows", "-o", str(brief)]) == 0
    before = brief.read_bytes()
    assert main(["--demo", "context", str(brief), "--attach", "demo:no-such-item"]) == 2
    assert "demo:no-such-item is not among the items found" in capsys.readouterr().err
    assert brief.read_bytes() == before
