"""`sonae backup --now / --verify / --status` and `sonae installation-admin` as an operator runs them."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile

import pytest

from sonae_process import run

# These tests start their own SQLite installations (DATABASE_URL is not passed on): the SQLite run covers them.
pytestmark = pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="independent of the test database; run in the SQLite run")

CREATE_OWNER = (
    "from django.contrib.auth import get_user_model as g; "
    "g().objects.create_user('o', 'o@example.jp', 'A-long-enough-passw0rd')"
)


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """An installation with an owner, an organisation and an uploaded file, and one verified backup."""
    data = tmp_path_factory.mktemp("inst") / "data"
    assert run(["manage", "migrate", "-v", "0"], data).returncode == 0
    assert run(["manage", "shell", "-c", CREATE_OWNER], data).returncode == 0
    assert run(["createorg", "--name", "横浜の会社", "--owner-email", "o@example.jp"], data).returncode == 0
    (data / "media" / "reports").mkdir(parents=True)
    (data / "media" / "reports" / "mail.eml").write_bytes(b"Subject: x\r\n\r\nbody")
    result = run(["backup", "--now"], data)
    assert result.returncode == 0, result.stderr
    assert "backup written and verified" in result.stdout
    backup = next((data / "backups").glob("sonae-backup-*.zip"))
    return data, backup


def test_verify_prints_rows_per_table(installation, tmp_path):
    data, backup = installation
    result = run(["backup", "--verify", str(backup)], tmp_path / "elsewhere")
    assert result.returncode == 0, result.stderr
    assert "orgs.Organisation" in result.stdout and "orgs_organisation" in result.stdout
    assert "restores: " in result.stdout and "1 files" in result.stdout
    assert not (tmp_path / "elsewhere").exists()  # the check never made an installation there
    report = json.loads(run(["backup", "--verify", "--json", str(backup)], data).stdout)
    assert report["ok"] and report["tables"]["orgs.Organisation"] == 1 and report["tables"]["auth.User"] == 1


def _damaged(backup, tmp_path, how):
    target = tmp_path / f"{how}.zip"
    content = backup.read_bytes()
    if how == "truncated":
        target.write_bytes(content[: len(content) // 2])
    elif how == "flipped":
        with zipfile.ZipFile(backup) as archive:
            offset = archive.getinfo("sonae.sqlite3").header_offset + 200
        target.write_bytes(content[:offset] + bytes([content[offset] ^ 0xFF]) + content[offset + 1:])
    elif how == "empty":
        target.write_bytes(b"")
    elif how == "not-a-backup":
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("hello.txt", "hi")
    elif how == "rows-missing":  # a valid zip whose database lost rows the manifest promises
        with zipfile.ZipFile(backup) as source, zipfile.ZipFile(target, "w") as archive:
            for info in source.infolist():
                payload = source.read(info)
                if info.filename == "sonae.sqlite3":
                    snapshot = tmp_path / "snapshot.sqlite3"
                    snapshot.write_bytes(payload)
                    database = sqlite3.connect(snapshot)
                    database.execute("DELETE FROM orgs_auditentry")
                    database.commit()
                    database.close()
                    payload = snapshot.read_bytes()
                archive.writestr(info.filename, payload)
    elif how == "file-missing":
        with zipfile.ZipFile(backup) as source, zipfile.ZipFile(target, "w") as archive:
            for info in source.infolist():
                if not info.filename.startswith("media/"):
                    archive.writestr(info.filename, source.read(info))
    return target


@pytest.mark.parametrize(
    "how,message",
    [
        ("truncated", "damaged or truncated"),
        ("flipped", "damaged"),
        ("empty", "not a sonae backup file"),
        ("not-a-backup", "manifest.json"),
        ("rows-missing", "row count differs: orgs.AuditEntry 0 restored"),
        ("file-missing", "0 files in the backup, 1 listed"),
    ],
)
def test_verify_refuses_bad_files_in_one_line(installation, tmp_path, how, message):
    _, backup = installation
    result = run(["backup", "--verify", str(_damaged(backup, tmp_path, how))], tmp_path / "d")
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    if how in ("truncated", "rows-missing"):  # the same refusal as JSON, for the nightly task
        as_json = run(["backup", "--verify", "--json", str(_damaged(backup, tmp_path, how))], tmp_path / "d")
        assert as_json.returncode == 1 and message in json.loads(as_json.stdout)["error"]


def test_status_is_fine_after_a_backup(installation):
    data, backup = installation
    result = run(["backup", "--status"], data)
    assert result.returncode == 0, result.stderr
    assert backup.name in result.stdout and "keep 14" in result.stdout


def test_status_exits_1_when_stale(tmp_path):
    data = tmp_path / "d"
    assert run(["manage", "migrate", "-v", "0"], data).returncode == 0
    old_owner = (
        "import datetime; from django.utils import timezone; from django.contrib.auth import get_user_model as g; "
        "g().objects.create_user('o', 'o@example.jp', 'A-long-enough-passw0rd', date_joined=timezone.now() - datetime.timedelta(days=3))"
    )
    assert run(["manage", "shell", "-c", old_owner], data).returncode == 0
    result = run(["backup", "--status"], data)
    assert result.returncode == 1 and "no good backup for more than two days" in result.stderr
    assert run(["backup", "--status"], data, SONAE_BACKUP_KEEP="0").returncode == 0


@pytest.mark.parametrize(
    "args,message",
    [
        (["backup"], "FILE is required"),
        (["backup", "--now", "x.zip"], "takes no FILE"),
        (["backup", "--now", "--verify", "x.zip"], "use one of"),
        (["backup", "--json", "x.zip"], "--json goes with --verify"),
        (["backup", "--verify", "/nonexistent/x.zip"], "no such file"),
        (["backup", "--verify", "/tmp"], "is a directory"),
        (["backup", "--status", "--now"], "use one of"),
    ],
)
def test_bad_arguments(tmp_path, args, message):
    result = run(args, tmp_path / "d")
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr


def test_bad_backup_settings_are_refused(tmp_path):
    result = run(["backup", "--status"], tmp_path / "d", SONAE_BACKUP_KEEP="-1")
    assert result.returncode != 0 and "SONAE_BACKUP_KEEP must be 0 or more" in result.stderr
    result = run(["backup", "--status"], tmp_path / "d", SONAE_BACKUP_KEEP="many")
    assert result.returncode != 0 and "whole number" in result.stderr


def test_installation_admin_add_list_remove(installation):
    data, _ = installation
    result = run(["installation-admin"], data)
    assert result.returncode == 0 and "none" in result.stdout
    result = run(["installation-admin", "--add", "O@Example.jp"], data)
    assert result.returncode == 0 and "o@example.jp" in result.stdout
    result = run(["installation-admin", "--remove", "o@example.jp"], data)
    assert result.returncode == 0 and "o@example.jp" not in result.stdout
    result = run(["installation-admin", "--add", "<script>@example.jp"], data)
    assert result.returncode == 1 and "no such user" in result.stderr
