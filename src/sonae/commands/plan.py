"""`sonae plan ...`: document templates, checks and rendering from the command line.

- `sonae plan template KIND --json` prints an empty document of KIND with every field;
- `sonae plan check KIND --input FILE.json [--json]` lists problems and the completeness meter;
- `sonae plan render KIND --input FILE.json --format docx|pdf|md --output OUT` renders it, and refuses a
  document with errors (e.g. a period over three years), naming the field and the reason;
- `sonae plan fields KIND` prints the field definitions (what the web builder is generated from).

Exit status: 0 done, 1 `check` found errors, 2 unusable input or a refused document. Engine only: no
Django, no database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any

import click

from sonae.engines import documents
from sonae.engines.documents import FORMATS, KINDS, InvalidDocument, Issue

MAX_INPUT_BYTES = 2 * 1024 * 1024  # a real plan is a few dozen KB; 2 MB leaves room and refuses junk

_KIND = click.Choice(KINDS)


def _fail(ja: str, en: str) -> None:
    click.echo(f"エラー: {ja}\nerror: {en}", err=True)
    raise SystemExit(2)


def _read_document(path: str) -> Any:
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        _fail(f"ファイルがありません: {path}", f"no such file: {path}")
    except IsADirectoryError:
        _fail(f"ファイルではなくフォルダです: {path}", f"is a directory, not a file: {path}")
    except OSError as exc:
        _fail(f"ファイルを読めません: {path}", f"cannot read {path}: {exc.strerror or exc}")
    if len(raw) > MAX_INPUT_BYTES:
        _fail("入力が大きすぎます (2 MB まで)。", f"input is too large: the limit is {MAX_INPUT_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(f"UTF-8 のテキストではありません ({exc.start} バイト目)。",
              f"input is not valid UTF-8 (byte offset {exc.start})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"JSONとして読めません ({exc.lineno}行 {exc.colno}列: {exc.msg})。",
              f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except RecursionError:
        _fail("JSONの入れ子が深すぎます。", "JSON is nested too deeply")
    raise AssertionError("unreachable")


def _issue_line(issue: Issue) -> str:
    mark = "警告" if issue.severity == "warning" else "エラー"
    path = issue.path or "(文書全体)"
    return f"{mark}: {path}: {issue.reason_ja} / {issue.reason_en}"


def _safe_text(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    if len(value) > 200 or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
        _fail(f"{option} は制御文字を含まない200文字以内で指定してください。",
              f"{option} must be at most 200 characters without control characters")
    return value


@click.group("plan")
def plan() -> None:
    """計画・規程の文書 (事業継続力強化計画など) を作ります / build plans and rules as documents.

    KIND: jigyokei (事業継続力強化計画), security-policy (情報セキュリティ基本方針),
    ai-guideline (生成AI利用ガイドライン), incident-response (サイバーインシデント初動対応手順).
    """


@plan.command("template")
@click.argument("kind", type=_KIND, metavar="KIND")
@click.option("--json", "as_json", is_flag=True, help="空の文書をJSONで出力 / print the empty document as JSON.")
def template(kind: str, as_json: bool) -> None:
    """空の文書 (すべての項目) を出力します / print an empty document of KIND with every field.

    --json なしでは項目の一覧を表示します。 Without --json, lists the fields for reading.
    """
    if as_json:
        click.echo(json.dumps(documents.empty_document(kind), ensure_ascii=False, indent=2))
        return
    spec = documents.definition(kind)
    click.echo(f"{spec.title.ja} / {spec.title.en}")
    for section in spec.sections:
        click.echo(f"\n[{section.id}] {section.heading}")
        for f in section.fields:
            mark = "*" if f.required else " "
            click.echo(f"  {mark} {section.id}.{f.id}  ({f.type})  {f.label.ja} / {f.label.en}")
    click.echo("\n* = 必須 / required. JSON: sonae plan template " + kind + " --json")


@plan.command("fields")
@click.argument("kind", type=_KIND, metavar="KIND")
def fields(kind: str) -> None:
    """項目の定義 (ラベル・説明・例・形式・制約) をJSONで出力します / print the field definitions as JSON."""
    click.echo(json.dumps(documents.definition(kind).to_dict(), ensure_ascii=False, indent=2))


@plan.command("check")
@click.argument("kind", type=_KIND, metavar="KIND")
@click.option("--input", "input_path", required=True, metavar="FILE.json", help="文書のJSON ('-' で標準入力) / document JSON ('-' for stdin).")
@click.option("--json", "as_json", is_flag=True, help="結果をJSONで出力 / print the result as JSON.")
def check(kind: str, input_path: str, as_json: bool) -> None:
    """文書の誤りと入力の進み具合を表示します / list problems and completeness.

    終了コード: 0 = 誤りなし (未入力は可)、1 = 誤りあり、2 = 読めない入力。
    """
    data = _read_document(input_path)
    issues = documents.validate(kind, data, require_complete=True)
    filled, total, percent = documents.completeness(kind, data)
    errors = [i for i in issues if i.severity == "error" and i.code != "required"]
    if as_json:
        click.echo(json.dumps({
            "kind": kind,
            "completeness": {"filled": filled, "total": total, "percent": percent},
            "issues": [i.to_dict() for i in issues],
        }, ensure_ascii=False, indent=2))
    else:
        click.echo(f"入力済み / filled: {filled}/{total} ({percent}%)")
        for issue in issues:
            line = _issue_line(issue) if issue.code != "required" else f"未入力: {issue.path}: {issue.reason_ja}"
            click.echo("  " + line)
    raise SystemExit(1 if errors else 0)


@plan.command("render")
@click.argument("kind", type=_KIND, metavar="KIND")
@click.option("--input", "input_path", required=True, metavar="FILE.json", help="文書のJSON ('-' で標準入力) / document JSON ('-' for stdin).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="出力形式 / output format.")
@click.option("--output", "output_path", required=True, metavar="OUT", help="出力先ファイル ('-' で標準出力) / output file ('-' for stdout).")
@click.option("--org-name", default=None, help="ヘッダーに出す組織名 / organisation name for the header.")
@click.option("--version-label", default=None, help="版の表示 (例: 第2版) / version label.")
@click.option("--approved-by", default=None, help="承認者 / who approved it.")
@click.option("--approved-at", default=None, metavar="YYYY-MM-DD", help="承認日 / date of approval.")
@click.option("--card", is_flag=True, help="いざという時カードだけを出力 (incident-response) / only the one-page card.")
@click.option("--require-complete", is_flag=True, help="未入力の必須項目があれば出力しない / refuse missing required fields.")
def render(
    kind: str,
    input_path: str,
    fmt: str,
    output_path: str,
    org_name: str | None,
    version_label: str | None,
    approved_by: str | None,
    approved_at: str | None,
    card: bool,
    require_complete: bool,
) -> None:
    """文書を Word / PDF / Markdown で出力します / render a document as DOCX, PDF or Markdown.

    誤りのある文書 (例: 実施期間が3年を超える) は出力せず、項目と理由を表示して終了コード2で終わります。
    A document with errors is refused with the field and the reason (exit 2).
    """
    org_name = _safe_text(org_name, "--org-name")
    version_label = _safe_text(version_label, "--version-label")
    approved_by = _safe_text(approved_by, "--approved-by")
    approved_on = None
    if approved_at is not None:
        try:
            approved_on = dt.date.fromisoformat(approved_at)
        except ValueError:
            _fail("--approved-at は 2026-11-26 の形で指定してください。", "--approved-at must be a date like 2026-11-26")
    if card and kind != "incident-response":
        _fail("--card は incident-response でだけ使えます。", "--card only applies to incident-response")
    data = _read_document(input_path)
    issues = documents.validate(kind, data, require_complete=require_complete)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        click.echo("エラー: 文書に誤りがあるため出力しませんでした。\nerror: the document has errors; nothing was written.",
                   err=True)
        for issue in errors:
            click.echo("  " + _issue_line(issue), err=True)
        raise SystemExit(2)
    for issue in issues:
        click.echo("  " + _issue_line(issue), err=True)
    options = {"org_name": org_name, "version_label": version_label, "approved_by": approved_by,
               "approved_at": approved_on}
    try:
        if card:
            content = documents.render_card(data, fmt, **options)
        else:
            content = documents.render(kind, data, fmt, **options)
    except InvalidDocument as exc:  # validated above; kept so a future rule cannot crash the command
        for issue in exc.issues:
            click.echo("  " + _issue_line(issue), err=True)
        raise SystemExit(2) from None
    _write_output(output_path, content)


def _write_output(path: str, content: bytes) -> None:
    if path == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    if os.path.isdir(path):
        _fail(f"出力先がフォルダです: {path}", f"output is a directory: {path}")
    temporary = f"{path}.part"
    try:
        # Write next to the target and rename, so a failed run never leaves half a document behind.
        with open(temporary, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        _fail(f"書き込めません: {path}", f"cannot write {path}: {exc.strerror or exc}")
    click.echo(f"{path} ({len(content):,} bytes)", err=True)


commands = [plan]
