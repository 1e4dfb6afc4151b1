"""`sonae advisories import FILE` / `status`: load published advisory feeds from a file (no network).

FILE is a JVN iPedia / MyJVN XML answer (RSS 1.0 with sec:, or VULDEF) or the CISA KEV JSON catalog,
downloaded by the administrator (README: 情報収集). The size is checked before the file is read; the
file is parsed whole before anything is written, and written in one transaction: a broken or hostile
file imports nothing. Exit 0 imported, 2 refused.
"""

from __future__ import annotations

from pathlib import Path

import click

from sonae.commands.catalog import fail


@click.group("advisories")
def advisories() -> None:
    """脆弱性情報（JVN・CISA KEV）の取り込み / Import security advisories from a file."""


@advisories.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """ファイルから取り込む / Import a JVN XML or CISA KEV JSON file."""
    from sonae.cli import django_setup

    django_setup()
    from sonae.assets.services import MAX_FEED_BYTES, FeedTooLarge, advisories_import
    from sonae.engines.advisories import FeedError

    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            raise FeedTooLarge(size)
        with path.open("rb") as handle:
            data = handle.read(MAX_FEED_BYTES + 1)
    except FeedTooLarge:
        fail(f"ファイルが大きすぎます（上限 {MAX_FEED_BYTES // (1024 * 1024)} MB）。何も取り込んでいません: {path}",
             f"file too large (limit {MAX_FEED_BYTES // (1024 * 1024)} MB); nothing imported: {path}")
    except OSError as exc:
        fail(f"ファイルを読めません: {path}", f"cannot read {path}: {exc.strerror}")
    try:
        record = advisories_import(data=data, file_name=path.name)
    except FeedTooLarge:
        fail("ファイルが大きすぎます。何も取り込んでいません。", "file too large; nothing imported")
    except FeedError as exc:
        fail(f"{exc.ja} 何も取り込んでいません: {path}", f"{exc.en}; nothing imported: {path}")
    click.echo(f"{record.source}: {record.total} 件（新規 {record.created} 件）、新しく該当した資産 {record.new_matches} 件"
               f" / {record.total} records ({record.created} new), {record.new_matches} new asset matches")


@advisories.command("status")
def status_command() -> None:
    """取り込みの記録 / Show the latest imports."""
    from sonae.cli import django_setup

    django_setup()
    from sonae.assets.models import Advisory, AdvisoryImport

    click.echo(f"advisories: {Advisory.objects.count()}")
    for record in AdvisoryImport.objects.all()[:10]:
        click.echo(f"{record.imported_at:%Y-%m-%d %H:%M}\t{record.source}\t{record.file_name}\t{record.total}\t{record.feed_version}")


commands = [advisories]
