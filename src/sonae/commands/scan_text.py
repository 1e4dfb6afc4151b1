"""`sonae scan-text [--json] [--mask] [--term T]... [FILE | -]`: check text before it goes to an AI.

Reads FILE (or standard input for '-' or no argument) as UTF-8, runs the textscan engine and
prints the findings (human-readable, or JSON with --json) or the masked text (--mask).
Exit status: 0 nothing found, 1 something found, 2 unusable input (missing file, not UTF-8,
10 MB or more, bad option). No Django, no database.
"""

from __future__ import annotations

import json
import sys

import click

from sonae.engines.textscan import ACTIONS, MAX_TEXT_BYTES, TYPES, Policy, TextScanError, scan

_SEVERITY_JA = {"high": "高", "medium": "中", "low": "低"}


def _fail(ja: str, en: str) -> None:
    click.echo(f"エラー: {ja}\nerror: {en}", err=True)
    raise SystemExit(2)


def _read_input(source: str) -> str:
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_TEXT_BYTES)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_TEXT_BYTES)
    except FileNotFoundError:
        _fail(f"ファイルがありません: {source}", f"no such file: {source}")
    except IsADirectoryError:
        _fail(f"ファイルではなくフォルダです: {source}", f"is a directory, not a file: {source}")
    except OSError as exc:
        _fail(f"ファイルを読めません: {source}", f"cannot read {source}: {exc.strerror or exc}")
    if len(raw) >= MAX_TEXT_BYTES:
        _fail(
            "テキストが大きすぎます（10 MB 未満にしてください）。",
            f"input is too large: the limit is {MAX_TEXT_BYTES:,} bytes (10 MB)",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(
            f"UTF-8 のテキストではありません（{exc.start} バイト目）。",
            f"input is not valid UTF-8 (byte offset {exc.start}); convert it to UTF-8 first",
        )
    raise AssertionError("unreachable")


def _parse_actions(values: tuple[str, ...]) -> dict[str, str]:
    actions: dict[str, str] = {}
    for value in values:
        type_, sep, action = value.partition("=")
        type_, action = type_.strip(), action.strip()
        if not sep or type_ not in TYPES or action not in ACTIONS:
            _fail(
                f"--action は「種類=block|mask|warn」の形で指定してください: {value!r}",
                f"--action must be TYPE=block|mask|warn with TYPE one of {', '.join(TYPES)}; got {value!r}",
            )
        actions[type_] = action
    return actions


def _line_col(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


@click.command("scan-text")
@click.argument("source", metavar="[FILE | -]", required=False, default="-")
@click.option("--json", "as_json", is_flag=True, help="結果をJSONで出力 / print findings as JSON.")
@click.option("--mask", "as_mask", is_flag=True, help="伏せ字にしたテキストを出力 / print the masked text.")
@click.option(
    "--term", "terms", multiple=True, metavar="TERM",
    help="入力禁止語（繰り返し指定可。全角・半角・かなの違いも検出）/ forbidden term (repeatable).",
)
@click.option(
    "--action", "actions", multiple=True, metavar="TYPE=ACTION",
    help="種類ごとの対応 block|mask|warn（例: phone=block）/ per-type action override.",
)
def scan_text(source: str, as_json: bool, as_mask: bool, terms: tuple[str, ...], actions: tuple[str, ...]) -> None:
    """テキストの個人情報・秘密情報・禁止語を検出します / find personal data, secrets and forbidden terms.

    FILE を省略するか '-' を指定すると標準入力を読みます。終了コード: 0 = 検出なし、1 = 検出あり、
    2 = 入力エラー。 Exit 0 when nothing is found, 1 when something is, 2 for unusable input.
    """
    try:
        policy = Policy(actions=_parse_actions(actions), custom_terms=terms)
    except TextScanError as exc:
        _fail(exc.ja, exc.en)
    text = _read_input(source)
    try:
        result = scan(text, policy)
    except TextScanError as exc:
        _fail(exc.ja, exc.en)

    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif as_mask:
        click.echo(result.masked, nl=False)
        if result.masked and not result.masked.endswith("\n"):
            click.echo("")
    else:
        if not result.findings:
            click.echo("検出なし / nothing found")
        else:
            click.echo(f"{len(result.findings)} 件検出 / {len(result.findings)} finding(s)"
                       + ("（送信禁止 / blocked）" if result.blocked else ""))
            for f in result.findings:
                click.echo(
                    f"  {_line_col(text, f.start)}  {f.label_ja} ({f.label_en})  {f.action}  "
                    f"重要度 {_SEVERITY_JA[f.severity]}  {f.text!r} → {f.placeholder}"
                )
    raise SystemExit(1 if result.findings else 0)


commands = [scan_text]
