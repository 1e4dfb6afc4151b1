"""Upgrades lose nothing: installations and backups made by earlier releases, opened by this code.

tests/fixtures/releases/<version>/ holds what that release's own code made (build.py there says how):
a SQLite data folder, the same rows as a PostgreSQL dump, a backup file of each form, and manifest.json
with every row and file. Each test migrates or restores one of them with the current code and compares
every row field by field and every file byte for byte. New models, rows and fields are fine; a value
that changed or disappeared fails the test, unless DELIBERATE_CHANGES names it with the reason.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from sonae_process import environment, free_port, run, start_up, stop

HERE = Path(__file__).resolve().parent
RELEASE = HERE.parent / "fixtures" / "releases" / "0.1.0"
MANIFEST = json.loads((RELEASE / "manifest.json").read_text(encoding="utf-8"))
PASSWORD = "Release-0.1.0-fixture-passw0rd"  # fill.py
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")

# (model label, field) -> why a later release changes that value on purpose. Keep it empty if you can.
DELIBERATE_CHANGES: dict[tuple[str, str], str] = {}
# Not in backup files by design (sonae.backup.EXCLUDED_MODELS): rebuilt or worthless after a restore.
NOT_BACKED_UP = {"contenttypes.ContentType", "auth.Permission", "sessions.Session"}
_MICROSECONDS = re.compile(r"(\d{2}:\d{2}:\d{2}\.\d{3})\d{3}")


def _ms(value):
    """0.1.0 wrote its JSON backups with Django's encoder, which cuts times to milliseconds."""
    if isinstance(value, str):
        return _MICROSECONDS.sub(r"\g<1>000", value)
    return value


def differences(actual: dict, *, skip=frozenset(), milliseconds=False) -> list[str]:
    found = []
    norm = _ms if milliseconds else (lambda value: value)
    for label, rows in MANIFEST["rows"].items():
        if label in skip or not rows:
            continue
        have = actual["rows"].get(label)
        if have is None:
            found.append(f"{label}: the model is gone")
            continue
        for pk, fields in rows.items():
            row = have.get(pk)
            if row is None:
                found.append(f"{label} #{pk}: the row is gone")
                continue
            for name, value in fields.items():
                if (label, name) in DELIBERATE_CHANGES:
                    continue
                if name not in row:
                    found.append(f"{label}.{name}: the field is gone")
                elif norm(row[name]) != norm(value):
                    found.append(f"{label} #{pk} {name}: {value!r} became {row[name]!r}")
    for path, expected in MANIFEST["files"].items():
        if actual["files"].get(path) != expected:
            found.append(f"file {path}: {expected} became {actual['files'].get(path)}")
    return found[:40]


def snapshot(data: Path, **env) -> dict:
    out = data.parent / f"snapshot-{uuid.uuid4().hex}.json"
    result = subprocess.run([sys.executable, str(HERE / "snapshot.py"), str(out)], env=environment(data, **env),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def copy_data_folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(RELEASE / "data", data)
    return data


@pytest.fixture
def scratch_postgres():
    """An empty PostgreSQL database next to the test database, dropped afterwards."""
    base = urllib.parse.urlparse(os.environ["DATABASE_URL"])
    name = f"{base.path.lstrip('/')}_release_{uuid.uuid4().hex[:8]}"
    admin = base._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-q", "-v", "ON_ERROR_STOP=1", "-c", f'CREATE DATABASE "{name}"'], check=True)
    yield base._replace(path=f"/{name}").geturl()
    subprocess.run(["psql", admin, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)


def _pages_work(port: int) -> None:
    """The upgraded installation is usable: the owner signs in and opens what 0.1.0 stored."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    login = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": "tanaka@minato-seiko.example.jp", "password": PASSWORD})
    response = opener.open(urllib.request.Request(f"{base}/accounts/login/", data=form.encode(), headers={"Referer": f"{base}/accounts/login/"}), timeout=30)
    assert response.url.rstrip("/").endswith("/o/1"), response.url
    assert "株式会社みなと精工" in response.read().decode()
    audit = opener.open(f"{base}/o/1/audit/", timeout=30).read().decode()
    assert "鈴木" in audit or "suzuki@minato-seiko.example.jp" in audit
    mail = opener.open(f"{base}/o/1/checks/inbox/1/mail.eml", timeout=30).read()
    assert b"amaz0n-account.example.com" in mail
    evidence = opener.open(f"{base}/o/1/diagnoses/policy/1/file/", timeout=30).read()
    assert evidence.startswith(b"%PDF-1.4\n% sonae 0.1.0 release fixture")


def _upgrade_with_sonae_up(data: Path, **env) -> None:
    # --no-worker: the nightly and daily tasks must not run during the test (they may add rows by design).
    port = free_port()
    process, _ = start_up(data, port, extra_args=["--no-worker"], **env)
    try:
        assert differences(snapshot(data, **env)) == []  # before anybody signs in (that updates last_login)
        _pages_work(port)
    finally:
        stop(process)


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite installation is upgraded in the SQLite run")
def test_sqlite_installation_of_0_1_0_upgrades_losing_nothing(tmp_path):
    _upgrade_with_sonae_up(copy_data_folder(tmp_path))


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL (DATABASE_URL)")
def test_postgresql_database_of_0_1_0_upgrades_losing_nothing(tmp_path, scratch_postgres):
    subprocess.run(["psql", scratch_postgres, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(RELEASE / "postgresql.sql")],
                   check=True, capture_output=True)
    data = copy_data_folder(tmp_path)
    (data / "sonae.sqlite3").unlink()  # this installation keeps its rows in PostgreSQL
    _upgrade_with_sonae_up(data, DATABASE_URL=scratch_postgres)


def _restore(backup: Path, tmp_path: Path, **env) -> dict:
    data = tmp_path / "restored"
    result = run(["restore", str(backup)], data, timeout=600, **env)
    assert result.returncode == 0, result.stderr
    return snapshot(data, **env)


def _target(request) -> dict:
    return {"DATABASE_URL": request.getfixturevalue("scratch_postgres")} if ON_POSTGRESQL else {}


def test_sqlite_backup_of_0_1_0_restores_losing_nothing(tmp_path, request):
    """On SQLite directly; on PostgreSQL through the snapshot's JSON export (moving to PostgreSQL)."""
    restored = _restore(RELEASE / "backup-sqlite.zip", tmp_path, **_target(request))
    assert differences(restored, skip=NOT_BACKED_UP) == []


def test_postgresql_backup_of_0_1_0_restores_losing_nothing(tmp_path, request):
    restored = _restore(RELEASE / "backup-postgresql.zip", tmp_path, **_target(request))
    assert differences(restored, skip=NOT_BACKED_UP, milliseconds=True) == []


@pytest.mark.skipif(ON_POSTGRESQL, reason="--verify always restores into a temporary SQLite installation")
@pytest.mark.parametrize("name", ["backup-sqlite.zip", "backup-postgresql.zip"])
def test_backups_of_0_1_0_verify(tmp_path, name):
    result = run(["backup", "--verify", "--json", str(RELEASE / name)], tmp_path / "unused", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["sonae_version"] == "0.1.0" and report["tables"]["orgs.AuditEntry"] == len(MANIFEST["rows"]["orgs.AuditEntry"])
    assert report["files"] == len(MANIFEST["files"])
