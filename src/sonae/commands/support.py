"""`sonae support match|list|questions`: the support catalogue from the command line. Engine-only: no Django.

    sonae support match --profile FILE --json
        FILE: {"prefecture": "神奈川県", "city": "横浜市", "employees": 20, "industry": "E",
               "answers": {"sales_down_5pct": false}, "state": {"jigyokei_approved": true}}
        prints [{"id", "name", "fit", "reasons", "source_url", "as_of", "deadline", "deadline_passed", …}]
    sonae support list --json        every entry as loaded
    sonae support questions --json   the questions an `answers` map may use

Exit 2 with a message naming the field for an unknown key or an impossible value.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from sonae.catalog.base import CatalogError
from sonae.commands.catalog import fail

MAX_PROFILE_BYTES = 100_000


def _catalog():
    from sonae.catalog.support import load_support

    try:
        return load_support()
    except CatalogError as exc:
        fail("支援策のカタログを読み込めません。", str(exc))


def _today() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()


def read_profile(path: Path) -> object:
    try:
        if path.stat().st_size > MAX_PROFILE_BYTES:
            fail(f"プロフィールのファイルが大きすぎます（上限 {MAX_PROFILE_BYTES} バイト）: {path}",
                 f"profile file too large (limit {MAX_PROFILE_BYTES} bytes): {path}")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        fail(f"プロフィールのファイルを読めません: {path}", f"cannot read profile {path}: {exc.strerror}")
    except UnicodeDecodeError:
        fail(f"プロフィールのファイルがUTF-8ではありません: {path}", f"profile is not UTF-8: {path}")
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        fail(f"プロフィールをJSONとして読めません: {path}", f"profile is not valid JSON: {path} ({str(exc)[:200]})")


@click.group("support")
def support() -> None:
    """支援策ナビ：使える公的支援を調べます / Which public support fits a company."""


@support.command("match")
@click.option("--profile", "profile_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="会社のプロフィール（JSON） / the company's profile (JSON).")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力 / print JSON.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="言語 / language.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="この日付で期限を判定（既定: 今日） / judge deadlines as of this date (default: today).")
def match_command(profile_path: Path, as_json: bool, lang: str, today) -> None:
    """プロフィールに合う支援策 / Match a profile against the support catalogue."""
    from sonae.engines.support import ProfileError, match, profile_from_dict

    catalog = _catalog()
    try:
        profile = profile_from_dict(read_profile(profile_path), catalog)
    except ProfileError as exc:
        fail(f"{exc.field}: {exc.ja}", f"{exc.field}: {exc.en}")
    if profile.city and profile.prefecture:
        from sonae.engines.support import city_prefecture_conflict

        if conflict := city_prefecture_conflict(profile.city, profile.prefecture, catalog):
            click.echo(f"注意: {profile.city} は{conflict}の市です（prefecture は {profile.prefecture}）。\n"
                       f"warning: {profile.city} is in {conflict}, not {profile.prefecture}", err=True)
    fits = match(catalog, profile, today.date() if today else _today())
    from sonae.engines.support import fit_as_dict

    rows = [fit_as_dict(f, lang) for f in fits]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    labels = {"yes": "○", "after_step": "→", "unknown": "?", "no": "×"}
    for row in rows:
        flag = ("（要確認：情報が古い可能性）" if lang == "ja" else " (possibly out of date)") if row["possibly_outdated"] else ""
        click.echo(f"{labels[row['fit']]} {row['name']} [{row['id']}]{flag}")
        for reason in row["reasons"]:
            click.echo(f"    {labels[reason['fit']]} {reason['text']}")


@support.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力 / print JSON.")
def list_command(as_json: bool) -> None:
    """支援策カタログの一覧 / List the support catalogue."""
    catalog = _catalog()
    if as_json:
        click.echo(json.dumps([e.model_dump(mode="json") for e in catalog.entries], ensure_ascii=False, indent=2))
        return
    for entry in catalog.entries:
        click.echo(f"{entry.id}\t{entry.region.key}\t{entry.name.ja}\t{entry.source.as_of.isoformat()}")


@support.command("questions")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力 / print JSON.")
def questions_command(as_json: bool) -> None:
    """answers に使える質問ID / The question ids a profile's answers may use."""
    catalog = _catalog()
    rows = [{"id": q.id, "ja": q.text.ja, "en": q.text.en} for q in catalog.questions.values()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']}\t{row['ja']}")


commands = [support]
