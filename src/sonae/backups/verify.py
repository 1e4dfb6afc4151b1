"""Prove a backup file restores: restore it into the (temporary, empty) installation of this process and
compare what arrived with the backup's manifest: rows per model, and every uploaded file byte for byte.

Only `sonae backup --verify` calls this, in a process it configured for a throwaway data folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.management import call_command

from sonae.backup import BackupError, media_dir, open_backup, restore_from, row_counts


@dataclass(frozen=True)
class VerifyReport:
    engine: str
    created_at: str
    sonae_version: str
    tables: list[tuple[str, str, int]]  # model label, table, rows
    files: int

    @property
    def rows(self) -> int:
        return sum(rows for _, _, rows in self.tables)

    def as_dict(self) -> dict:
        return {"ok": True, "engine": self.engine, "created_at": self.created_at, "sonae_version": self.sonae_version,
                "rows": self.rows, "files": self.files, "tables": {label: rows for label, _, rows in self.tables}}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_restore(path: Path) -> VerifyReport:
    archive, manifest = open_backup(path)
    with archive:
        names = set(archive.namelist())
    media_members = [n for n in names if n.startswith("media/") and not n.endswith("/")]
    expected = manifest.get("row_counts")
    if not isinstance(expected, dict):
        raise BackupError("manifest.json に行数がありません / the manifest holds no row counts")
    if "sonae.sqlite3" not in names:
        call_command("migrate", interactive=False, verbosity=0)  # the JSON form loads into existing tables
    restore_from(path)
    counts = row_counts()
    for label, rows in sorted(expected.items()):
        if label not in counts:
            raise BackupError(f"復元先に {label} がありません / {label} does not exist after restoring")
        if counts[label] != rows:
            raise BackupError(f"行数が合いません / row count differs: {label} {counts[label]} restored, {rows} in the backup")
    media = media_dir()
    listed = manifest.get("files")
    if isinstance(listed, list):  # backups from 0.2.0 on list every file with its size and hash
        if len(listed) != len(media_members):
            raise BackupError(f"ファイル数が合いません / {len(media_members)} files in the backup, {len(listed)} listed")
        for entry in listed:
            restored = media / str(entry.get("path", ""))
            if not restored.is_file() or restored.stat().st_size != entry.get("size") or _sha256(restored) != entry.get("sha256"):
                raise BackupError(f"ファイルが一致しません / file differs after restoring: {str(entry.get('path'))[:100]}")
    elif any(not (media / Path(name).relative_to("media")).is_file() for name in media_members):
        raise BackupError("ファイルを復元できません / an uploaded file did not restore")
    tables = [
        (label, apps.get_model(label)._meta.db_table, counts[label])
        for label in sorted(counts) if label in expected or counts[label]
    ]
    return VerifyReport(engine=str(manifest.get("engine", "")), created_at=str(manifest.get("created_at", "")),
                        sonae_version=str(manifest.get("sonae_version", "")), tables=tables, files=len(media_members))
