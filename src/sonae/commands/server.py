"""Running sonae: up, worker, createorg, manage (backups: sonae.commands.backups)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import click

from sonae.cli import django_setup


def prepare(verbose: bool = True) -> None:
    """Create the data folder, apply migrations and load the catalog. Safe to run every start."""
    django_setup()
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    _migrate()
    _load_catalog()
    if verbose:
        click.echo(f"データフォルダ / data folder: {settings.DATA_DIR}")


# Any constant key works; it only has to be the same for every sonae process on the database.
MIGRATE_LOCK_KEY = 0x50_4E_41_45  # "SNAE"


def _migrate() -> None:
    """Apply migrations. On PostgreSQL under an advisory lock: app servers and workers started at the
    same time would otherwise migrate one database at once and fail on each other's tables; the
    second waits for the first and then finds nothing left to do."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":  # SQLite: one machine, and its own file lock
        call_command("migrate", interactive=False, verbosity=0)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK_KEY])
    try:
        call_command("migrate", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK_KEY])


def _load_catalog() -> None:
    """Validate every catalog file now, so a broken file stops start-up with its reason."""
    try:
        from sonae.catalog.loader import load_catalog
    except ImportError:
        return
    from sonae.catalog.base import CatalogError

    try:
        load_catalog()
    except CatalogError as exc:
        raise click.ClickException(f"カタログの読み込みに失敗しました / catalog error: {exc}") from exc


def _start_consumer(workers: int = 1):
    """Run the Huey consumer in this process (threads), for the one-command setup."""
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        return None
    autodiscover_modules("tasks")  # register every app's tasks.py with the consumer
    consumer = HUEY.create_consumer(workers=workers, worker_type="thread", periodic=True, check_worker_health=True)
    # The consumer installs signal handlers, which only the main thread may do.
    consumer._set_signal_handlers = lambda: None
    thread = threading.Thread(target=consumer.run, name="huey-consumer", daemon=True)
    thread.start()
    return consumer


@click.command()
@click.option("--host", default=lambda: os.environ.get("SONAE_HOST", "127.0.0.1"), show_default="127.0.0.1 or $SONAE_HOST", help="待ち受けるアドレス / address to listen on")
@click.option("--port", type=click.IntRange(1, 65535), default=lambda: int(os.environ.get("SONAE_PORT", "8000")), show_default="8000 or $SONAE_PORT", help="待ち受けるポート / port")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="サーバーのスレッド数 / server threads")
@click.option("--no-worker", is_flag=True, help="バックグラウンド処理を同じプロセスで動かさない（別に `sonae worker` を動かす場合）")
def up(host: str, port: int, threads: int, no_worker: bool) -> None:
    """sonae を起動します（データフォルダ作成・マイグレーション・本番用サーバー）。

    Starts sonae: creates the data folder and database, applies migrations, loads the catalog,
    runs background tasks in-process and serves the app with waitress.
    """
    prepare()
    from django.conf import settings
    from waitress import serve

    from sonae.orgs.services import setup_token_issue
    from sonae.wsgi import application

    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown_host}:{port}"
    token = setup_token_issue()
    if token:
        click.echo("")
        click.echo("最初のセットアップ用リンク（一度だけ使えます）/ one-time setup link:")
        # Behind a TLS proxy the link must be the public address: the plain one is redirected anyway.
        click.echo(f"  {settings.SITE_URL if settings.PRODUCTION else base}/setup/{token}/")
        click.echo("")
    if not no_worker:
        _start_consumer()
    else:
        _warn_for_several_servers(settings)
    click.echo(f"sonae を起動しました / serving on {base}/  (Ctrl+C で停止 / to stop)")
    if settings.DEBUG:
        click.echo("警告: SONAE_DEBUG が有効です。本番では無効にしてください。", err=True)
    serve(application, host=host, port=port, threads=threads, ident="sonae", **proxy_options(settings.SONAE_TRUSTED_PROXY))


def proxy_options(trusted_proxy: str) -> dict:
    """waitress options: believe the forwarded client address and scheme only from the reverse proxy.

    Without this, waitress drops X-Forwarded-Proto from every request, so under SONAE_ENV=production
    Django never sees HTTPS behind a TLS proxy and redirects to https:// forever; and every client
    would share the proxy's address in the per-IP login limits.
    """
    options = {"clear_untrusted_proxy_headers": True}
    if trusted_proxy:
        options.update(trusted_proxy=trusted_proxy, trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"})
    return options


def _warn_for_several_servers(settings) -> None:
    """--no-worker usually means several app servers or a separate worker: say what they must share."""
    from sonae.settings import envsecret

    if not envsecret("SONAE_SECRET_KEY"):
        click.echo("注意: 複数のサーバーで動かす場合は、SONAE_SECRET_KEY を全サーバーで同じ値にしてください"
                   "（違うとログインが他のサーバーで無効になります）。/ note: with several servers, give every server "
                   "the same SONAE_SECRET_KEY, or a login is not valid on the others.", err=True)
    if not settings.REDIS_URL:
        click.echo("注意: REDIS_URL がないため、バックグラウンド処理はデータフォルダの tasks.sqlite3 に入ります。"
                   "sonae worker は同じデータフォルダで動かしてください。/ note: without REDIS_URL, background "
                   "tasks go to tasks.sqlite3 in the data folder: run sonae worker with the same data folder.", err=True)


@click.command()
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True, help="並列に動かすワーカー数")
def worker(workers: int) -> None:
    """バックグラウンド処理（リマインダーなど）を実行します / runs the background task consumer."""
    prepare(verbose=False)
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")
    if HUEY.immediate:
        raise click.ClickException("テストモードではワーカーは不要です / immediate mode: no worker needed")
    HUEY.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@click.command()
@click.option("--name", required=True, help="組織名")
@click.option("--owner-email", required=True, help="オーナーのメールアドレス（既存のユーザー）")
@click.option("--industry", default="T", show_default=True, help="日本標準産業分類の大分類（A〜T）")
@click.option("--employees", default="6-20", show_default=True, help="従業員数の区分（1-5, 6-20, 21-50, 51-100, 101-300, 301+）")
@click.option("--prefecture", default="東京都", show_default=True, help="都道府県名")
@click.option("--corporate-number", default="", help="法人番号（13桁、任意）")
def createorg(name: str, owner_email: str, industry: str, employees: str, prefecture: str, corporate_number: str) -> None:
    """組織を作成し、既存のユーザーをオーナーにします / creates an organisation with an existing user as owner."""
    prepare(verbose=False)
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from sonae.orgs.forms import OrganisationForm
    from sonae.orgs.services import organisation_create

    owner = get_user_model().objects.filter(email__iexact=owner_email).first()
    if owner is None:
        raise click.ClickException(f"ユーザーが見つかりません / no such user: {owner_email}")
    form = OrganisationForm(
        {"name": name, "industry": industry, "employee_band": employees, "prefecture": prefecture, "corporate_number": corporate_number}
    )
    if not form.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        raise click.ClickException(f"入力が正しくありません / invalid input: {problems}")
    try:
        org = organisation_create(owner=owner, **form.cleaned_data)
    except ValidationError as exc:
        raise click.ClickException(f"入力が正しくありません / invalid input: {exc}") from exc
    click.echo(f"組織を作成しました / created organisation #{org.id}: {org.name}")


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Django の manage.py コマンドをそのまま実行します / Django management passthrough."""
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sonae manage", *args])


commands = [up, worker, createorg, manage]
