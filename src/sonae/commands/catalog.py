"""`sonae catalog ...`: list, show and validate catalog data. Engine-only: no Django, no database."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sonae.catalog.base import CatalogError
from sonae.catalog.instruments import (
    Instrument,
    load_instrument_file,
    load_instruments,
    load_instruments_from,
)


def fail(ja: str, en: str, code: int = 2) -> None:
    """Print a clear bilingual error on stderr and exit (never a traceback)."""
    click.echo(f"エラー: {ja}\nerror: {en}", err=True)
    raise SystemExit(code)


def instrument_as_dict(instrument: Instrument) -> dict:
    """The instrument as loaded, for `catalog show --json` (items with id, part, text, scale)."""
    data = instrument.model_dump(mode="json")
    data["max_score"] = instrument.max_score
    data["min_score"] = instrument.min_score
    return data


def _registry():
    try:
        return load_instruments()
    except CatalogError as exc:
        fail("カタログを読み込めません。", str(exc))


@click.group("catalog")
def catalog() -> None:
    """診断票などのカタログを表示・検証します / Show and validate catalog data."""


@catalog.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力 / print JSON.")
def list_instruments(as_json: bool) -> None:
    """診断票の一覧 / List the diagnosis instruments."""
    registry = _registry()
    rows = [
        {
            "id": i.id,
            "version": i.version,
            "items": len(i.items),
            "max": i.max_score,
            "title": {"ja": i.title.ja, "en": i.title.en},
        }
        for i in registry
    ]
    if as_json:
        click.echo(json.dumps({"instruments": rows}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['id']:<20} v{row['version']:<8} {row['items']:>3}項目 /{row['max']:>4}点  "
            f"{row['title']['ja']}"
        )


@catalog.command("show")
@click.argument("instrument_id")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力 / print JSON.")
@click.option(
    "--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
    help="表示言語 / language of the text output.",
)
@click.option(
    "--version", "version", default=None, metavar="VERSION",
    help="旧版を表示（保管されている版のみ） / show an archived version (only versions the catalog keeps).",
)
def show(instrument_id: str, as_json: bool, lang: str, version: str | None) -> None:
    """診断票の内容を表示 / Show one instrument (items, parts, scale, bands)."""
    registry = _registry()
    if instrument_id not in registry:
        fail(
            f"診断票 {instrument_id!r} はありません（{', '.join(registry.ids())}）。",
            f"no instrument {instrument_id!r} (known: {', '.join(registry.ids())}).",
        )
    kept = registry.versions(instrument_id)
    if version is not None and version not in kept:
        fail(
            f"{instrument_id} の版 {version!r} はありません（{', '.join(kept)}）。",
            f"{instrument_id} has no version {version!r} (kept: {', '.join(kept)}).",
        )
    instrument = registry.get(instrument_id, version)
    if as_json:
        click.echo(json.dumps(instrument_as_dict(instrument), ensure_ascii=False, indent=2))
        return
    click.echo(f"{instrument.title.get(lang)}  ({instrument.id} v{instrument.version})")
    click.echo(f"  {instrument.source.url}  ({instrument.source.as_of})")
    click.echo("  " + " / ".join(f"{o.label.get(lang)} {o.points}" for o in instrument.scale))
    for item in instrument.items:
        part = f"[{item.part}] " if item.part else ""
        click.echo(f"{item.number:>3}. {item.id:<6} {part}{item.text.get(lang)}")


@catalog.command("validate")
@click.argument(
    "path", required=False,
    type=click.Path(exists=True, dir_okay=True, file_okay=True, path_type=Path),
)
def validate(path: Path | None) -> None:
    """カタログを検証 / Validate catalog data.

    PATH を省略すると同梱のカタログ全体を、ファイルなら1つの診断票を、フォルダならその中の
    診断票すべてを検証します。 / Without PATH, validates the whole shipped catalog; a file is
    validated as one instrument; a folder as a set of instruments. Exit 1 when invalid.
    """
    try:
        if path is None:
            from sonae.catalog.loader import load_catalog

            loaded = load_catalog()
            click.echo(f"OK: {', '.join(loaded)}")
        elif path.is_dir():
            registry = load_instruments_from(path)
            click.echo(f"OK: {path} ({len(registry)} instruments: {', '.join(registry.ids())})")
        else:
            instrument = load_instrument_file(path)
            click.echo(
                f"OK: {path} ({instrument.id} v{instrument.version}, {len(instrument.items)} items)"
            )
    except CatalogError as exc:
        fail("カタログに誤りがあります。", str(exc), code=1)


commands = [catalog]
