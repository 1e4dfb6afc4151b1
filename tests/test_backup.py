"""Backup and restore round trip on the configured database (SQLite or PostgreSQL)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from sonae.backup import BackupError, backup_to, restore_from
from sonae.orgs.models import AuditEntry, Membership, Organisation
from sonae.orgs.services import invitation_create

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> str:
    out = io.StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission", "sessions"], natural_foreign=True, stdout=out, indent=None)
    return json.dumps(sorted(json.loads(out.getvalue()), key=lambda o: (o["model"], str(o.get("pk")))), sort_keys=True)


def test_round_trip_loses_nothing(tmp_path, alice, org, other_org, settings):
    settings.DATA_DIR = tmp_path / "data"
    media = settings.DATA_DIR / "media" / "evidence"
    media.mkdir(parents=True)
    (media / "方針.pdf").write_bytes(b"%PDF-1.4 test")
    invitation_create(org=org, by=alice, role="editor", note="経理の鈴木さん")
    before = _snapshot()
    counts = (Organisation.objects.count(), Membership.objects.count(), AuditEntry.objects.count())

    backup_file = tmp_path / "backup.zip"
    backup_to(backup_file)
    manifest = json.loads(zipfile.ZipFile(backup_file).read("manifest.json"))
    assert manifest["format"] == "sonae-backup-1" and manifest["row_counts"]["orgs.Organisation"] == 2

    with pytest.raises(BackupError, match="空ではありません"):
        restore_from(backup_file)  # never over existing data

    call_command("flush", interactive=False, verbosity=0)
    (media / "方針.pdf").unlink()
    assert not Organisation.objects.exists()
    restore_from(backup_file)

    assert _snapshot() == before
    assert (Organisation.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == counts
    assert (media / "方針.pdf").read_bytes() == b"%PDF-1.4 test"
    assert authenticate(username="alice", password="correct-horse-battery-staple-42") is not None


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip", b"PK\x03\x04garbage"],
)
def test_restore_refuses_junk(tmp_path, content):
    path = tmp_path / "junk.zip"
    path.write_bytes(content)
    with pytest.raises(BackupError):
        restore_from(path)


def test_restore_refuses_unsafe_members(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "sonae-backup-1"}))
        archive.writestr("media/../../etc/passwd", "x")
    with pytest.raises(BackupError, match="不正なファイル"):
        restore_from(path)
    assert not get_user_model().objects.exists()


def test_restore_refuses_wrong_format(tmp_path):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", "[1, 2]")
    with pytest.raises(BackupError, match="形式"):
        restore_from(path)
