"""The backup file: written while sonae runs, checked, and restored into an empty installation.

A backup is a zip file:
  manifest.json   format, engine, sonae version, time, row counts per model, uploaded files (size, sha256)
  sonae.sqlite3   (SQLite) a page-consistent copy made with SQLite's online backup API
  data.json       (PostgreSQL) a Django JSON export read inside one REPEATABLE READ snapshot
  media/...       uploaded files from the data folder
The row counts are those of the snapshot itself. The JSON form restores into either database engine;
the SQLite form restores into SQLite directly and into PostgreSQL by way of a JSON export of the
snapshot (the path from one machine to PostgreSQL). Backups of 0.1.0 (without the file list) restore too.
Scheduled backups, their records and the check by restoring are in `sonae.backups`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction

FORMAT = "sonae-backup-1"
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions"]
MAX_MEMBER_BYTES = 4 * 1024**3
# Django's "json" format cuts datetimes to milliseconds; backups keep every digit.
EXACT_JSON = "sonae-exact-json"


class BackupError(Exception):
    """A backup could not be written or a file is not a restorable backup (message in ja / en)."""


@dataclass(frozen=True)
class BackupInfo:
    engine: str
    rows: int
    files: int

    def __str__(self) -> str:
        return f"{self.engine}, {self.rows} rows, {self.files} files"


def backed_up_models() -> list:
    return [
        model for model in apps.get_models()
        if model._meta.app_label not in ("contenttypes", "sessions") and model._meta.label != "auth.Permission"
    ]


def row_counts() -> dict[str, int]:
    """Rows per model in the installation's database, as the manifest counts them."""
    return {model._meta.label: model._default_manager.count() for model in backed_up_models()}


def _snapshot_counts(snapshot: Path) -> dict[str, int]:
    database = sqlite3.connect(snapshot)
    try:
        return {
            model._meta.label: database.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0]
            for model in backed_up_models()
        }
    finally:
        database.close()


def media_dir() -> Path:
    return Path(settings.DATA_DIR) / "media"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_media(archive: zipfile.ZipFile) -> list[dict]:
    media, files = media_dir(), []
    if not media.is_dir():
        return files
    for file in sorted(media.rglob("*")):
        name = file.relative_to(media).as_posix()
        try:
            if not file.is_file():
                continue
            entry = {"path": name, "size": file.stat().st_size, "sha256": _sha256(file)}
            archive.write(file, f"media/{name}")
        except FileNotFoundError:
            continue  # deleted while we were writing: its row is gone from the snapshot too
        files.append(entry)
    return files


def _dump(target: Path, database: str = DEFAULT_DB_ALIAS) -> None:
    serializers.register_serializer(EXACT_JSON, "sonae.backups.serializer")
    with target.open("w", encoding="utf-8") as out:
        call_command("dumpdata", format=EXACT_JSON, natural_foreign=True, exclude=EXCLUDED_MODELS,
                     database=database, stdout=out, verbosity=0)


def backup_to(path: Path) -> BackupInfo:
    """Write a consistent backup of the database and uploads to `path`."""
    engine = connection.vendor
    with tempfile.TemporaryDirectory(prefix="sonae-backup-") as tmp:
        try:
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                if engine == "sqlite":
                    snapshot = Path(tmp) / "sonae.sqlite3"
                    connection.ensure_connection()
                    target = sqlite3.connect(snapshot)
                    try:
                        connection.connection.backup(target)
                    finally:
                        target.close()
                    counts = _snapshot_counts(snapshot)
                    archive.write(snapshot, "sonae.sqlite3")
                else:
                    data = Path(tmp) / "data.json"
                    with transaction.atomic():
                        if engine == "postgresql":
                            with connection.cursor() as cursor:
                                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                        _dump(data)
                        counts = row_counts()  # inside the same snapshot as the export
                    archive.write(data, "data.json")
                files = _add_media(archive)
                manifest = {
                    "format": FORMAT,
                    "engine": engine,
                    "sonae_version": version("sonae"),
                    "created_at": dt.datetime.now(dt.UTC).isoformat(),
                    "row_counts": counts,
                    "files": files,
                }
                archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        except OSError as exc:
            raise BackupError(f"バックアップを書き出せません / cannot write backup: {exc.strerror or exc}") from exc
    return BackupInfo(engine=engine, rows=sum(counts.values()), files=len(files))


def open_backup(path: Path) -> tuple[zipfile.ZipFile, dict]:
    """Open a backup file and check it without restoring: a zip, undamaged, safe names, our manifest."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError("バックアップファイルとして読み込めません（壊れているか途中までしかありません） / not a sonae backup file (damaged or truncated)") from exc
    try:
        names = set(archive.namelist())
        if "manifest.json" not in names:
            raise BackupError("manifest.json がありません / not a sonae backup file")
        for info in archive.infolist():
            if info.file_size > MAX_MEMBER_BYTES or info.filename.startswith("/") or ".." in Path(info.filename).parts:
                raise BackupError(f"不正なファイルが含まれています / unsafe member: {info.filename[:100]}")
        try:
            damaged = archive.testzip()
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise BackupError(f"バックアップファイルが壊れています / damaged backup file: {str(exc)[:100]}") from exc
        if damaged is not None:
            raise BackupError(f"バックアップファイルが壊れています / damaged member: {damaged[:100]}")
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackupError("manifest.json を読み込めません / unreadable manifest") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError("対応していない形式です / unsupported backup format")
        if not ({"sonae.sqlite3", "data.json"} & names):
            raise BackupError("データが含まれていません / the backup holds no data")
    except BaseException:
        archive.close()
        raise
    return archive, manifest


def _installation_is_empty() -> bool:
    from django.contrib.auth import get_user_model

    from sonae.orgs.models import Organisation

    if "orgs_organisation" not in connection.introspection.table_names():
        return True  # not even migrated yet (a SQLite snapshot brings its own tables)
    return not get_user_model().objects.exists() and not Organisation.objects.exists()


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200] if text else ''}"


def _check_sqlite(snapshot: Path) -> None:
    try:
        database = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
        try:
            result = database.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            database.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"データベースが壊れています / damaged database: {_one_line(exc)}") from exc
    if result != "ok":
        raise BackupError(f"データベースが壊れています / damaged database: {result[:200]}")


def _load(data_file: Path) -> None:
    try:
        with transaction.atomic():
            call_command("loaddata", str(data_file), verbosity=0)
    except (DeserializationError, DatabaseError, ValueError) as exc:
        raise BackupError(f"データを読み込めません / cannot load the data: {_one_line(exc)}") from exc


def _sqlite_snapshot_as_json(snapshot: Path, target: Path) -> None:
    """Bring a SQLite snapshot up to this version's schema and export it, to load into PostgreSQL."""
    alias = "sonae_backup_snapshot"
    connections.settings[alias] = connections.configure_settings(
        {DEFAULT_DB_ALIAS: {}, alias: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(snapshot)}}
    )[alias]
    try:
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        _dump(target, database=alias)
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def restore_from(path: Path) -> str:
    """Restore a backup made by `backup_to` into an installation that has no users yet."""
    archive, manifest = open_backup(path)
    with archive, tempfile.TemporaryDirectory(prefix="sonae-restore-") as tmp:
        names = set(archive.namelist())
        if not _installation_is_empty():
            raise BackupError(
                "復元先が空ではありません。新しいデータフォルダ（SONAE_DATA_DIR）か空のデータベースに復元してください。"
                " / the installation is not empty: restore into a new data folder or an empty database"
            )
        if "sonae.sqlite3" in names:
            snapshot = Path(archive.extract("sonae.sqlite3", tmp))
            _check_sqlite(snapshot)
            if connection.vendor == "sqlite":
                source = sqlite3.connect(snapshot)
                connection.ensure_connection()
                try:
                    source.backup(connection.connection)
                finally:
                    source.close()
                call_command("migrate", interactive=False, verbosity=0)
            else:
                data_file = Path(tmp) / "data.json"
                _sqlite_snapshot_as_json(snapshot, data_file)
                _load(data_file)
        else:
            _load(Path(archive.extract("data.json", tmp)))
        media = media_dir()
        for name in names:
            if name.startswith("media/") and not name.endswith("/"):
                target = media / Path(name).relative_to("media")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    return f"{manifest.get('engine')} backup of {manifest.get('created_at')}, {sum(row_counts().values())} rows now"
