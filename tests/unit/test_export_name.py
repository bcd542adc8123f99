"""The name a brief is offered under: kind, day and a slug of the summary, and never a secret."""

from __future__ import annotations

import pytest

from tui.render.export_name import default_export_name
from tui.screens.export import default_export_name as offered_by_the_export_dialog

DAY = "2026-12-01"


def test_the_name_is_kind_day_and_a_slug_of_the_summary() -> None:
    assert default_export_name("Data export drops rows for ZD-4821!", DAY) == (
        "escalation-2026-12-01-data-export-drops-rows-for-zd-4821.md")
    assert default_export_name("", DAY, "support-note") == "support-note-2026-12-01-brief.md"
    assert default_export_name("x" * 80, DAY) == f"escalation-2026-12-01-{'x' * 48}.md"
    assert offered_by_the_export_dialog is default_export_name


@pytest.mark.parametrize(
    ("summary", "secret", "name"),
    [
        ("Key AKIAIOSFODNN7EXAMPLE leaked", "akiaiosfodnn7example", "escalation-2026-12-01-key-leaked.md"),
        ("DB at postgres://admin:S3cretPass99@db.acme.com is down", "s3cretpass99",
         "escalation-2026-12-01-db-at-postgres-admin-db-acme-com-is-down.md"),
        ("Login fails with password=hunter22 for Acme", "hunter22",
         "escalation-2026-12-01-login-fails-with-password-for-acme.md"),
        ("ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "a1b2c3d4", "escalation-2026-12-01-brief.md"),
    ],
)
def test_no_part_of_a_secret_reaches_the_name(summary: str, secret: str, name: str) -> None:
    made = default_export_name(summary, DAY)
    assert made == name
    assert secret not in made
