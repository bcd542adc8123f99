"""The draft store: autosaved drafts come back whole, survive a killed process, and a bad file is reported."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.domain.models import Customer, Escalation
from tui.store.brief_file import load_brief
from tui.store.drafts import DraftConflict, DraftStore, DraftStoreError
from tui.store.paths import APP_NAME, DATA_DIR_ENV, data_dir
from tui.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
ACME = ROOT / "examples" / "api-500-acme.toml"
T0 = datetime(2026, 11, 19, 9, 0, tzinfo=UTC)


@pytest.fixture
def acme() -> Escalation:
    return load_brief(ACME)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DraftStore]:
    with DraftStore(tmp_path / "drafts.sqlite3") as opened:
        yield opened


def draft(summary: str, customer: str = "") -> Escalation:
    return Escalation(summary=summary, customer=Customer(name=customer))


def test_saved_revisions_load_back_as_the_last_one(store: DraftStore, acme: Escalation) -> None:
    draft_id = store.create(Escalation(), T0)
    for minute in range(1, 6):
        revision = acme.model_copy(update={"summary": f"{acme.summary} (rev {minute})"})
        store.save(draft_id, revision, T0 + timedelta(minutes=minute), severity="high")
    loaded = store.load(draft_id)
    assert loaded == revision
    assert loaded.summary.endswith("(rev 5)")


def test_a_rich_brief_round_trips_exactly(store: DraftStore, acme: Escalation) -> None:
    draft_id = store.create(acme, T0)
    assert store.load(draft_id) == acme
    assert store.load(draft_id).model_dump() == acme.model_dump()


def test_load_of_a_missing_draft_is_a_key_error(store: DraftStore) -> None:
    with pytest.raises(KeyError):
        store.load(42)


def test_recent_is_newest_first_limited_and_carries_the_list_columns(store: DraftStore) -> None:
    ids = [store.create(draft(f"problem {n}", f"Customer {n}"), T0 + timedelta(minutes=n)) for n in range(5)]
    store.save(ids[1], draft("problem 1, edited", "Customer 1"), T0 + timedelta(hours=1), severity="critical")
    recent = store.recent(limit=3)
    assert [row.id for row in recent] == [ids[1], ids[4], ids[3]]
    first = recent[0]
    assert (first.summary, first.customer, first.severity) == ("problem 1, edited", "Customer 1", "critical")
    assert first.updated == T0 + timedelta(hours=1)
    assert first.updated.tzinfo is not None
    assert recent[1].severity == ""


def test_recent_leaves_out_archived_drafts_but_keeps_their_rows(store: DraftStore) -> None:
    kept, done = store.create(draft("kept"), T0), store.create(draft("exported"), T0 + timedelta(minutes=1))
    store.archive(done, T0 + timedelta(minutes=2))
    assert [row.id for row in store.recent()] == [kept]
    assert store.load(done).summary == "exported"


def test_delete_removes_the_draft(store: DraftStore) -> None:
    draft_id = store.create(draft("gone soon"), T0)
    store.delete(draft_id)
    store.delete(draft_id)  # deleting twice is harmless
    assert store.recent() == []
    with pytest.raises(KeyError):
        store.load(draft_id)
    with pytest.raises(KeyError):
        store.archive(draft_id, T0)


def test_times_are_stored_in_utc_and_naive_times_refused(store: DraftStore) -> None:
    paris = timezone(timedelta(hours=1))
    draft_id = store.create(draft("x"), datetime(2026, 11, 19, 10, 0, tzinfo=paris))
    assert store.recent()[0].updated == T0
    assert store.recent()[0].updated.utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="time zone"):
        store.save(draft_id, draft("x"), datetime(2026, 11, 19, 10, 0))


def test_a_lone_surrogate_from_a_broken_paste_is_still_saved(store: DraftStore) -> None:
    broken = draft("pasted \ud800 text", "Acme \udcff")
    draft_id = store.create(broken, T0)
    assert store.load(draft_id) == broken
    assert store.recent()[0].summary == "pasted ? text"


def test_the_database_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    DraftStore(path).close()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()


CHILD = """
import os, signal, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tui.store.brief_file import load_brief
from tui.store.drafts import DraftStore

store = DraftStore(Path(sys.argv[1]))
acme = load_brief(Path(sys.argv[2]))
now = datetime(2026, 11, 19, 9, 0, tzinfo=UTC)
draft_id = store.create(acme, now)
for n in range(1, 4):
    store.save(draft_id, acme.model_copy(update={"summary": f"revision {n}"}), now + timedelta(seconds=n), "high")
print(draft_id, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX only")
def test_a_saved_draft_survives_kill_9(tmp_path: Path, acme: Escalation) -> None:
    path = tmp_path / "drafts.sqlite3"
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(path), str(ACME)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert path.with_name(path.name + "-wal").exists()  # killed before any checkpoint: the saves live in the log
    draft_id = int(child.stdout)
    with DraftStore(path) as store:
        assert store.load(draft_id) == acme.model_copy(update={"summary": "revision 3"})
        [row] = store.recent()
        assert (row.id, row.summary, row.severity) == (draft_id, "revision 3", "high")


def test_saving_from_other_threads_works(store: DraftStore, acme: Escalation) -> None:
    draft_id = store.create(Escalation(), T0)
    errors: list[BaseException] = []

    def autosave(worker: int) -> None:
        try:
            for n in range(25):
                revision = acme.model_copy(update={"summary": f"worker {worker} rev {n}"})
                store.save(draft_id, revision, T0 + timedelta(seconds=n))
                store.recent()
        except BaseException as error:  # reported to the test below
            errors.append(error)

    workers = [threading.Thread(target=autosave, args=(worker,)) for worker in range(4)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=30)
    assert errors == []
    assert store.load(draft_id).summary.startswith("worker ")
    assert store.load(draft_id).model_copy(update={"summary": acme.summary}) == acme


def test_a_store_opened_on_one_thread_saves_from_another(tmp_path: Path, acme: Escalation) -> None:
    store = DraftStore(tmp_path / "drafts.sqlite3")
    draft_id = store.create(Escalation(), T0)
    errors: list[BaseException] = []

    def autosave() -> None:
        try:
            store.save(draft_id, acme, T0 + timedelta(seconds=1))
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=autosave)
    thread.start()
    thread.join(timeout=30)
    assert errors == []
    assert store.load(draft_id) == acme
    store.close()


def only_the_fresh_database_and_what_was_kept(folder: Path) -> tuple[Path, ...]:
    kept = tuple(sorted(p for p in folder.iterdir() if ".unusable-" in p.name))
    assert {p.name for p in folder.iterdir()} - {p.name for p in kept} <= {
        "drafts.sqlite3", "drafts.sqlite3-wal", "drafts.sqlite3-shm"}
    return kept


def assert_moved_aside(store: DraftStore, path: Path, before: bytes, why: str) -> None:
    """The unusable file is kept byte for byte under a new name, the store says so, and a fresh,
    working database took its place."""
    assert store.moved_aside is not None
    assert why in store.moved_aside.why
    kept = store.moved_aside.kept_as
    assert kept.parent == path.parent
    assert kept.name.startswith("drafts.sqlite3.unusable-")
    assert kept.read_bytes() == before
    assert only_the_fresh_database_and_what_was_kept(path.parent)[0] == kept
    sentence = store.moved_aside.sentence()
    assert kept.name in sentence
    assert "new one" in sentence
    draft_id = store.create(draft("a fresh start"), T0)
    assert store.load(draft_id).summary == "a fresh start"


@pytest.mark.parametrize(
    "garbage",
    [b"this is not a database\n" * 200, b"SQLite format 3\x00" + bytes(range(256)) * 8],
    ids=["text", "sqlite-header-then-noise"],
)
def test_a_garbage_file_is_kept_aside_and_a_fresh_database_started(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "drafts.sqlite3"
    path.write_bytes(garbage)
    with DraftStore(path) as store:
        assert_moved_aside(store, path, garbage, "")


def corrupt_a_page(path: Path) -> None:
    """Scribble over the middle of a database's drafts (not its header): SQLite's check catches it."""
    with path.open("r+b") as handle:
        size = handle.seek(0, 2)
        handle.seek(size // 2)
        handle.write(bytes(range(256)) * 4)


def test_a_database_with_corrupted_pages_is_kept_aside_not_written_to(tmp_path: Path, acme: Escalation) -> None:
    path = tmp_path / "drafts.sqlite3"
    with DraftStore(path) as store:
        for n in range(40):
            store.create(acme.model_copy(update={"summary": f"draft {n}"}), T0)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    corrupt_a_page(path)
    before = path.read_bytes()
    with DraftStore(path) as store:
        assert_moved_aside(store, path, before, "damaged")


def test_a_database_from_a_newer_version_is_kept_aside_untouched(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE drafts (id INTEGER PRIMARY KEY, shiny_new_column TEXT)")
    raw.execute("PRAGMA user_version = 99")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with DraftStore(path) as store:
        assert_moved_aside(store, path, before, "newer escalate-tui")


def test_another_programs_database_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE songs (title TEXT)")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with DraftStore(path) as store:
        assert_moved_aside(store, path, before, "some other program")


def test_a_database_missing_columns_is_never_written_to(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    raw = sqlite3.connect(path)  # says it is the current version, but its table lacks columns
    raw.execute("CREATE TABLE drafts (id INTEGER PRIMARY KEY, created TEXT, updated TEXT, body TEXT)")
    raw.execute("PRAGMA user_version = 4")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with DraftStore(path) as store:
        assert_moved_aside(store, path, before, "missing")
        assert store.moved_aside is not None
        assert "summary" in store.moved_aside.why


def test_a_healthy_database_is_never_moved(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    with DraftStore(path) as store:
        draft_id = store.create(draft("kept"), T0)
    with DraftStore(path) as store:
        assert store.moved_aside is None
        assert store.load(draft_id).summary == "kept"
    assert only_the_fresh_database_and_what_was_kept(tmp_path) == ()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_database_and_its_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with DraftStore.open_default(folder) as store:
        store.create(draft("customer data"), T0)
        for name in ("drafts.sqlite3", "drafts.sqlite3-wal", "drafts.sqlite3-shm"):
            assert (folder / name).stat().st_mode & 0o777 == 0o600, name
    assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_database_others_could_read_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    DraftStore(path).close()
    path.chmod(0o644)
    DraftStore(path).close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_save_based_on_an_old_revision_is_refused_with_the_stored_draft(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    with DraftStore(path) as one, DraftStore(path) as two:
        draft_id = one.create(draft("first words"), T0)
        opened = two.load_stored(draft_id)
        assert opened.revision == 1
        saved = one.save(draft_id, draft("one's edit"), T0, based_on=1)
        assert saved == 2
        with pytest.raises(DraftConflict) as caught:
            two.save(draft_id, draft("two's edit"), T0, based_on=opened.revision)
        assert caught.value.stored.revision == 2
        assert caught.value.stored.escalation.summary == "one's edit"
        assert two.load(draft_id).summary == "one's edit"  # nothing was written over it
        assert two.save(draft_id, draft("two's edit, after seeing one's"), T0, based_on=2) == 3


@pytest.mark.parametrize(
    ("body", "problem"),
    [('{"summary": 5}', "summary"), ('{"mystery_field": true}', "mystery_field"), ("{not json", "not valid JSON")],
)
def test_a_stored_body_that_no_longer_validates_names_the_draft(tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "drafts.sqlite3"
    with DraftStore(path) as store:
        draft_id = store.create(draft("fine at first"), T0)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE drafts SET body = ? WHERE id = ?", (body, draft_id))
    raw.close()
    with DraftStore(path) as store, pytest.raises(DraftStoreError) as caught:
        store.load(draft_id)
    message = str(caught.value)
    assert f"draft {draft_id}" in message
    assert problem in message
    assert str(path) in message


def test_open_default_uses_the_data_dir(tmp_path: Path) -> None:
    with DraftStore.open_default(tmp_path / "data") as store:
        assert store.path == tmp_path / "data" / "drafts.sqlite3"
        store.create(draft("x"), T0)
    assert store.path.exists()


def test_data_dir_override_wins_over_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    chosen = data_dir(tmp_path / "given" / "deeper")
    assert chosen == tmp_path / "given" / "deeper"
    assert chosen.is_dir()
    assert not (tmp_path / "from-env").exists()


def test_data_dir_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert data_dir() == tmp_path / "from-env"
    assert (tmp_path / "from-env").is_dir()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG variables steer platformdirs on Linux")
def test_data_dir_defaults_to_the_user_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / APP_NAME
    assert data_dir().is_dir()


def test_the_hand_edited_brief_is_kept_with_its_draft(store: DraftStore) -> None:
    draft_id = store.create(draft("Exports miss rows", "Globex"), T0)
    assert store.load(draft_id).edited_brief is None  # never edited: the brief is the rendering
    edited = draft("Exports miss rows", "Globex")
    edited.edited_brief = "## ESCALATION: edited by hand\n"
    store.save(draft_id, edited, T0, "high")
    assert store.load(draft_id).edited_brief == "## ESCALATION: edited by hand\n"
    store.save(draft_id, draft("Exports miss rows", "Globex"), T0, "high")
    assert store.load(draft_id).edited_brief is None


def test_drafts_saved_by_the_previous_version_are_kept_and_can_hold_an_edited_brief(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    raw = sqlite3.connect(path)  # the schema as version 1 of the drafts file wrote it
    raw.execute(
        "CREATE TABLE drafts (id INTEGER PRIMARY KEY, created TEXT NOT NULL, updated TEXT NOT NULL,"
        " summary TEXT NOT NULL DEFAULT '', customer TEXT NOT NULL DEFAULT '', severity TEXT NOT NULL DEFAULT '',"
        " archived TEXT NULL, body TEXT NOT NULL)"
    )
    raw.execute("CREATE INDEX drafts_recent ON drafts (archived, updated)")
    old = draft("Old draft", "Initech")
    raw.execute("INSERT INTO drafts (created, updated, summary, customer, body) VALUES (?, ?, ?, ?, ?)",
                ("2026-11-01T10:00:00.000000+00:00", "2026-11-01T10:00:00.000000+00:00", "Old draft", "Initech",
                 old.model_dump_json()))
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    with DraftStore(path) as store:
        [summary] = store.recent()
        assert store.load(summary.id) == old
        assert store.load(summary.id).edited_brief is None
        old.edited_brief = "edited"
        store.save(summary.id, old, T0, "medium")
        assert store.load(summary.id).edited_brief == "edited"
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()


def test_a_brief_file_has_one_draft_found_by_its_path_from_any_folder(
        store: DraftStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    brief = tmp_path / "cases" / "acme.toml"
    brief.parent.mkdir()
    loose = store.create(draft("not from a file"), T0)
    linked = store.create(draft("Exports miss rows", "Globex"), T0, file=brief)
    assert store.draft_of_file(brief) == linked
    monkeypatch.chdir(brief.parent)
    assert store.draft_of_file(Path("acme.toml")) == linked  # the same file, named from its folder
    assert store.draft_of_file(tmp_path / "other.toml") is None
    rows = {row.id: row for row in store.recent()}
    assert rows[linked].file == brief
    assert rows[loose].file is None
    store.archive(linked, T0)
    assert store.draft_of_file(brief) is None  # an archived draft is done with
