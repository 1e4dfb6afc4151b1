"""Keeping sonae's data: backup (write, --now, --verify, --status), restore, installation-admin."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import click

from sonae.cli import django_setup
from sonae.commands.server import prepare


def _verify_failed(file: Path, error: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"ok": False, "file": str(file), "error": error}, ensure_ascii=False))
        raise SystemExit(1)
    raise click.ClickException(error)


def _verify(file: Path, as_json: bool) -> None:
    """Restore FILE into a throwaway installation made for this process only, and compare it with its manifest."""
    from django.conf import settings

    if settings.configured:
        raise click.ClickException("--verify は単独のプロセスで実行してください / --verify needs a process of its own")
    from sonae.backup import BackupError, open_backup

    try:  # a damaged or foreign file is refused before any installation is made
        archive, _ = open_backup(file)
        archive.close()
    except BackupError as exc:
        _verify_failed(file, str(exc), as_json)
    tmp = Path(tempfile.mkdtemp(prefix="sonae-verify-"))
    # Never the installation's own database, queue or secret: a SQLite installation in a temporary folder.
    for name in ("DATABASE_URL", "REDIS_URL", "SONAE_SECRET_KEY_FILE", "SONAE_BACKUP_DIR"):
        os.environ.pop(name, None)
    os.environ.update(SONAE_DATA_DIR=str(tmp / "data"), SONAE_ENV="development", SONAE_SECRET_KEY=secrets.token_urlsafe(50))
    try:
        django_setup()  # no migrate here: a SQLite snapshot brings its tables, verify_restore migrates for JSON
        from sonae.backups.verify import verify_restore

        try:
            report = verify_restore(file)
        except BackupError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - the contract is one line and a non-zero exit, whatever broke
            error = f"確認できません / cannot verify: {type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        else:
            error = ""
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if error:
        _verify_failed(file, error, as_json)
    if as_json:
        click.echo(json.dumps({**report.as_dict(), "file": str(file)}, ensure_ascii=False))
        return
    click.echo(f"{file}: sonae {report.sonae_version}, {report.engine}, {report.created_at}")
    width = max((len(label) for label, _, _ in report.tables), default=10)
    for label, table, rows in report.tables:
        click.echo(f"  {label:<{width}}  {table:<32} {rows:>8}")
    click.echo(f"復元できました / restores: {report.rows} rows in {len(report.tables)} tables, {report.files} files")


def _status() -> None:
    from django.conf import settings
    from django.utils import timezone

    from sonae.backups.selectors import backup_health

    health = backup_health()

    def when(record) -> str:
        return f"{timezone.localtime(record.finished_at):%Y-%m-%d %H:%M} {record.file_name} ({record.rows} rows, {record.size_bytes} bytes)"

    click.echo(f"バックアップフォルダ / folder: {settings.SONAE_BACKUP_DIR} (keep {settings.SONAE_BACKUP_KEEP})")
    click.echo(f"最後の成功 / last good: {when(health.last_good) if health.last_good else '-'}")
    if health.last_failed:
        click.echo(f"その後の失敗 / failed since: {when(health.last_failed)}: {health.last_failed.error}")
    if not health.scheduled:
        click.echo("定期バックアップは無効です（SONAE_BACKUP_KEEP=0） / scheduled backups are off")
    elif health.stale:
        raise click.ClickException("2日以上、成功したバックアップがありません / no good backup for more than two days")


def _now() -> None:
    from sonae.backups.models import BackupRecord
    from sonae.backups.services import backup_folder, backup_run

    record = backup_run(trigger=BackupRecord.Trigger.COMMAND)
    if record.status != BackupRecord.Status.OK:
        raise click.ClickException(record.error)
    click.echo(f"バックアップを書き出し、復元できることを確かめました / backup written and verified: "
               f"{backup_folder() / record.file_name} ({record.engine}, {record.rows} rows, {record.files} files)")


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="既存のファイルを上書きする / overwrite FILE")
@click.option("--now", "now", is_flag=True, help="毎晩の定期バックアップと同じく、バックアップフォルダに書き出して確認する / write into the backup folder like the nightly task")
@click.option("--verify", is_flag=True, help="FILE を一時的なインストールに復元して行数を確かめる / prove FILE restores and count its rows")
@click.option("--status", is_flag=True, help="最後に成功したバックアップを表示（2日以上前なら終了コード1） / last good backup; exit 1 if older than two days")
@click.option("--json", "as_json", is_flag=True, help="--verify の結果を JSON で / --verify report as JSON")
def backup(file: Path | None, force: bool, now: bool, verify: bool, status: bool, as_json: bool) -> None:
    """動作中でも一貫したバックアップを FILE に書き出します / writes a consistent snapshot to FILE.

    \b
    sonae backup FILE            write a backup to FILE
    sonae backup --now           write into SONAE_BACKUP_DIR, verify, record, keep SONAE_BACKUP_KEEP
    sonae backup --verify FILE   restore FILE into a temporary installation and print its rows per table
    sonae backup --status        the last good backup (exit 1 when it is older than two days)
    """
    modes = [name for name, on in (("--now", now), ("--verify", verify), ("--status", status)) if on]
    if len(modes) > 1:
        raise click.UsageError(f"{' と '.join(modes)} は同時に使えません / use one of {', '.join(modes)}")
    if as_json and not verify:
        raise click.UsageError("--json は --verify と一緒に使います / --json goes with --verify")
    if (now or status) and file is not None:
        raise click.UsageError(f"{modes[0]} はファイル名を取りません / {modes[0]} takes no FILE")
    if not (now or status) and file is None:
        raise click.UsageError("FILE を指定してください / FILE is required")
    if verify:
        if not file.is_file():
            raise click.ClickException(f"ファイルがありません / no such file: {file}")
        _verify(file, as_json)
        return
    prepare(verbose=False)
    if now:
        _now()
        return
    if status:
        _status()
        return
    from sonae.backup import BackupError, backup_to

    if file.exists() and not force:
        raise click.ClickException(f"{file} は既に存在します。上書きするには --force を付けてください。")
    try:
        info = backup_to(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"バックアップを書き出しました / backup written: {file} ({info})")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
def restore(file: Path) -> None:
    """空のインストールに FILE を復元します / restores FILE into an empty installation."""
    prepare(verbose=False)
    from sonae.backup import BackupError, restore_from

    try:
        info = restore_from(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"復元しました / restored: {info}")


@click.command("installation-admin")
@click.option("--add", "add", metavar="EMAIL", help="このユーザーをインストールの管理者にする / make this user an installation admin")
@click.option("--remove", "remove", metavar="EMAIL", help="インストールの管理者から外す / no longer an installation admin")
def installation_admin(add: str | None, remove: str | None) -> None:
    """インストールの管理者（バックアップの警告を受け取る人）を一覧・追加・削除します.

    Installation admins (Django staff) see the dashboard warning when backups are stale. The person who
    opens the first setup link becomes one; earlier installations add theirs with --add.
    """
    django_setup()
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for email, flag in ((add, True), (remove, False)):
        if email is None:
            continue
        user = users.filter(email__iexact=email.strip()).first()
        if user is None:
            raise click.ClickException(f"ユーザーが見つかりません / no such user: {email[:200]}")
        user.is_staff = flag
        user.save(update_fields=["is_staff"])
    admins = users.filter(is_staff=True) | users.filter(is_superuser=True)
    click.echo("インストールの管理者 / installation admins:")
    for user in admins.distinct().order_by("email"):
        click.echo(f"  {user.email}")
    if not admins.exists():
        click.echo("  （いません / none） sonae installation-admin --add EMAIL")


commands = [backup, restore, installation_admin]
