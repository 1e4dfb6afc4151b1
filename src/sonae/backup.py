"""Backups that can be taken while sonae runs, and restored into an empty installation.

A backup is a zip file:
  manifest.json   format, engine, sonae version, time, row counts
  sonae.sqlite3   (SQLite) a page-consistent copy made with SQLite's online backup API
  data.json       (PostgreSQL) a Django JSON export read inside one REPEATABLE READ snapshot
  media/...       uploaded files from the data folder
The JSON form restores into either database engine; the SQLite form restores into SQLite.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

FORMAT = "sonae-backup-1"
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions"]
MAX_MEMBER_BYTES = 4 * 1024**3


class BackupError(Exception):
    """A backup could not be written or a file is not a restorable backup (message in ja / en)."""


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("contenttypes", "sessions") and model._meta.label != "auth.Permission"
    }


def _media_dir() -> Path:
    return Path(settings.DATA_DIR) / "media"


def backup_to(path: Path) -> str:
    """Write a consistent backup of the database and uploads to `path`; returns a summary."""
    engine = connection.vendor
    tmp = Path(tempfile.mkdtemp(prefix="sonae-backup-"))
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            if engine == "sqlite":
                snapshot = tmp / "sonae.sqlite3"
                connection.ensure_connection()
                target = sqlite3.connect(snapshot)
                try:
                    connection.connection.backup(target)
                finally:
                    target.close()
                archive.write(snapshot, "sonae.sqlite3")
            else:
                buffer = io.StringIO()
                with transaction.atomic():
                    if engine == "postgresql":
                        with connection.cursor() as cursor:
                            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED_MODELS, stdout=buffer, verbosity=0)
                archive.writestr("data.json", buffer.getvalue())
            media = _media_dir()
            if media.is_dir():
                for file in sorted(media.rglob("*")):
                    if file.is_file():
                        archive.write(file, f"media/{file.relative_to(media).as_posix()}")
            counts = _row_counts()
            manifest = {
                "format": FORMAT,
                "engine": engine,
                "sonae_version": version("sonae"),
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "row_counts": counts,
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    except OSError as exc:
        raise BackupError(f"バックアップを書き出せません / cannot write backup: {exc.strerror or exc}") from exc
    finally:
        for file in tmp.glob("*"):
            file.unlink()
        tmp.rmdir()
    return f"{engine}, {sum(counts.values())} rows"


def _installation_is_empty() -> bool:
    from django.contrib.auth import get_user_model

    from sonae.orgs.models import Organisation

    return not get_user_model().objects.exists() and not Organisation.objects.exists()


def restore_from(path: Path) -> str:
    """Restore a backup made by `backup_to` into an installation that has no users yet."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError("バックアップファイルとして読み込めません / not a sonae backup file") from exc
    with archive:
        names = set(archive.namelist())
        if "manifest.json" not in names:
            raise BackupError("manifest.json がありません / not a sonae backup file")
        for info in archive.infolist():
            if info.file_size > MAX_MEMBER_BYTES or info.filename.startswith("/") or ".." in Path(info.filename).parts:
                raise BackupError(f"不正なファイルが含まれています / unsafe member: {info.filename[:100]}")
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackupError("manifest.json を読み込めません / unreadable manifest") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError("対応していない形式です / unsupported backup format")
        if not _installation_is_empty():
            raise BackupError(
                "復元先が空ではありません。新しいデータフォルダ（SONAE_DATA_DIR）か空のデータベースに復元してください。"
                " / the installation is not empty: restore into a new data folder or an empty database"
            )
        tmp = Path(tempfile.mkdtemp(prefix="sonae-restore-"))
        try:
            if "sonae.sqlite3" in names:
                if connection.vendor != "sqlite":
                    raise BackupError(
                        "SQLite のバックアップは SQLite にのみ復元できます / a SQLite backup restores into SQLite only"
                    )
                snapshot = Path(archive.extract("sonae.sqlite3", tmp))
                source = sqlite3.connect(snapshot)
                connection.ensure_connection()
                try:
                    source.backup(connection.connection)
                finally:
                    source.close()
                call_command("migrate", interactive=False, verbosity=0)
            elif "data.json" in names:
                data_file = Path(archive.extract("data.json", tmp))
                with transaction.atomic():
                    call_command("loaddata", str(data_file), verbosity=0)
            else:
                raise BackupError("データが含まれていません / the backup holds no data")
            media = _media_dir()
            for name in names:
                if name.startswith("media/") and not name.endswith("/"):
                    target = media / Path(name).relative_to("media")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(name))
        finally:
            for file in sorted(tmp.rglob("*"), reverse=True):
                file.rmdir() if file.is_dir() else file.unlink()
            tmp.rmdir()
    return f"{manifest.get('engine')} backup of {manifest.get('created_at')}, {sum(_row_counts().values())} rows now"
