"""`sonae check`: is this mail, SMS or URL a fake? Offline, with reasons and what to do.

    sonae check FILE.eml [FILE.eml ...]     mails (.eml); many files stream one JSON object per line
    sonae check --sms "本文"                 the text of an SMS (or any pasted message)
    sonae check --url https://example.com   one URL
    sonae check -                           a mail (or, without mail headers, a text) from standard input

Exit status: 0 no problem found, 1 caution (注意), 2 danger (危険) — the worst over all inputs —
and 3 when an input cannot be checked (empty, too large, not a mail) or the arguments are wrong.
Engine only: no database, no network.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from sonae.engines.messages import (
    MAX_MAIL_BYTES,
    MessageCheckError,
    MessageContext,
    Report,
    check_mail,
    check_sms,
    check_url,
)

EXIT_FOR_VERDICT = {"none": 0, "caution": 1, "danger": 2}
EXIT_UNUSABLE = 3
_SEVERITY_JA = {"high": "高", "medium": "中", "low": "低", "info": "参考"}
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)[^\s/@:]+\.[^\s/@:]+$")
_HEADER_LINE_RE = re.compile(rb"^[!-9;-~]{1,76}:", re.MULTILINE)


class _CheckCommand(click.Command):
    """Wrong arguments exit 3, so that 2 always means 危険 for scripts reading the status."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.exit_code = EXIT_UNUSABLE
            raise


def _usage(message: str) -> click.UsageError:
    error = click.UsageError(message)
    error.exit_code = EXIT_UNUSABLE
    return error


def _domains(values: tuple[str, ...], option: str) -> tuple[str, ...]:
    cleaned = []
    for value in values:
        domain = value.strip().lower().lstrip("@")
        if not _DOMAIN_RE.match(domain) or len(domain) > 253:
            raise click.BadParameter(
                f"ドメイン名として読めません / not a domain name: {value[:80]!r}", param_hint=option
            )
        cleaned.append(domain)
    return tuple(cleaned)


def _read_file(path_text: str) -> bytes:
    if path_text == "-":
        data = sys.stdin.buffer.read(MAX_MAIL_BYTES + 1)
    else:
        path = Path(path_text)
        try:
            if path.is_dir():
                raise MessageCheckError("not_file", f"フォルダーは確認できません: {path_text}", f"{path_text} is a directory.")
            if path.stat().st_size > MAX_MAIL_BYTES:
                raise MessageCheckError(
                    "too_large",
                    f"ファイルが大きすぎます（{MAX_MAIL_BYTES // (1024 * 1024)}MBまで）: {path_text}",
                    f"The file is too large (at most {MAX_MAIL_BYTES // (1024 * 1024)} MB): {path_text}",
                )
            with path.open("rb") as handle:
                data = handle.read(MAX_MAIL_BYTES + 1)
        except OSError as exc:
            raise MessageCheckError(
                "cannot_read", f"ファイルを読めません: {path_text}", f"Cannot read {path_text}: {exc.strerror}"
            ) from None
    if len(data) > MAX_MAIL_BYTES:
        raise MessageCheckError(
            "too_large",
            f"入力が大きすぎます（{MAX_MAIL_BYTES // (1024 * 1024)}MBまで）。",
            f"The input is too large (at most {MAX_MAIL_BYTES // (1024 * 1024)} MB).",
        )
    return data


def _check_stdin(data: bytes, context: MessageContext) -> Report:
    """Standard input is a mail when it starts with headers; otherwise it is treated as pasted text."""
    if _HEADER_LINE_RE.match(data.lstrip()[:1000]):
        return check_mail(data, context)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MessageCheckError("not_text", "UTF-8の文字として読めません。", "The input is not UTF-8 text.") from None
    return check_sms(text, context)


def _print_report(label: str | None, report: Report) -> None:
    if label:
        click.echo(f"== {label} ==")
    click.echo(f"判定: {report.verdict_ja}（{report.verdict_en}）  スコア {report.score}/100")
    if report.subject is not None:
        click.echo(f"件名: {report.subject}")
    if report.from_address is not None:
        name = f"{report.from_name} " if report.from_name else ""
        click.echo(f"差出人: {name}<{report.from_address}>")
    shown = [f for f in report.findings if f.severity != "info"] or report.findings
    if shown:
        click.echo("理由:")
        for finding in shown:
            click.echo(f"  - [{_SEVERITY_JA[finding.severity]}] {finding.message_ja}")
            if finding.evidence:
                click.echo(f"      根拠: {finding.evidence}")
    click.echo("すべきこと:")
    for line in report.advice_ja:
        click.echo(f"  - {line}")


def _print_error(label: str | None, error: MessageCheckError) -> None:
    prefix = f"{label}: " if label else ""
    click.echo(f"エラー: {prefix}{error.message_ja}\nerror: {prefix}{error.message_en}", err=True)


@click.command("check", cls=_CheckCommand)
@click.argument("files", nargs=-1, metavar="[FILE.eml ...| -]")
@click.option("--sms", "sms", metavar="TEXT", help="SMSの本文を確認します / check the text of an SMS.")
@click.option("--url", "url", metavar="URL", help="URLを1つ確認します / check one URL.")
@click.option("--json", "as_json", is_flag=True, help="JSONで出力します（1入力1行）/ JSON output, one object per line.")
@click.option("--own-domain", "own_domains", multiple=True, metavar="DOMAIN",
              help="自社のドメイン（複数可）/ your organisation's domain (repeatable).")
@click.option("--trusted-domain", "trusted_domains", multiple=True, metavar="DOMAIN",
              help="取引先など信頼するドメイン（複数可）/ a trusted partner's domain (repeatable).")
def check(files: tuple[str, ...], sms: str | None, url: str | None, as_json: bool,
          own_domains: tuple[str, ...], trusted_domains: tuple[str, ...]) -> None:
    """メール・SMS・URLが偽物かどうかを確認します（オフライン）。

    Check whether a mail (.eml), an SMS text or a URL is fake. Exit status: 0 = no problem found,
    1 = 注意 (caution), 2 = 危険 (danger), 3 = input could not be checked.
    """
    chosen = sum(bool(x) for x in (files, sms is not None, url is not None))
    if chosen != 1:
        raise _usage(
            "FILE.eml / - / --sms / --url のどれか1つを指定してください。\n"
            "Give exactly one of: FILE.eml ..., -, --sms TEXT, --url URL."
        )
    if files.count("-") > 1:
        raise _usage("「-」（標準入力）は1回だけ指定できます。 / '-' (standard input) can be given only once.")
    try:
        context = MessageContext(
            own_domains=_domains(own_domains, "--own-domain"),
            trusted_domains=_domains(trusted_domains, "--trusted-domain"),
        )
    except click.BadParameter as exc:
        exc.exit_code = EXIT_UNUSABLE
        raise
    inputs: list[tuple[str | None, object]] = []
    if sms is not None:
        inputs.append((None, lambda: check_sms(sms, context)))
    elif url is not None:
        inputs.append((None, lambda: check_url(url, context)))
    else:
        for name in files:
            def run(name: str = name) -> Report:
                data = _read_file(name)
                return _check_stdin(data, context) if name == "-" else check_mail(data, context)

            inputs.append((name if len(files) > 1 else None, run))
    worst = 0
    for label, run in inputs:
        name = label or (files[0] if files else None)
        try:
            report = run()
        except MessageCheckError as error:
            worst = max(worst, EXIT_UNUSABLE)
            if as_json:
                click.echo(json.dumps({"input": name, "exit_code": EXIT_UNUSABLE, **error.to_dict()}, ensure_ascii=False))
            else:
                _print_error(label, error)
            continue
        code = EXIT_FOR_VERDICT[report.verdict]
        worst = max(worst, code)
        if as_json:
            click.echo(json.dumps({"input": name, "exit_code": code, **report.to_dict()}, ensure_ascii=False))
        else:
            _print_report(label, report)
            if label and len(inputs) > 1:
                click.echo("")
    raise SystemExit(worst)


commands = [check]
