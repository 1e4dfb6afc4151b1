"""`sonae rules ask --document FILE... [--json] QUESTION`: answer a question from rule documents only.

The files (Markdown, Word .docx, PDF) are read, cut into passages by their headings and ranked
for the question (sonae.engines.retrieval). The answer is the best passage with its document and
section, or "not found" with the contact points the documents name; nothing is made up and nothing
leaves the machine. With --json: {"answer", "citations": [{"document", "section", "quote"}], "found"}.
Exit status: 0 when answered (found or not), 2 for unusable input (a missing, unreadable, empty,
encrypted or oversized file names the file; an empty question). No Django, no database.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from sonae.engines.retrieval import (
    MAX_FILE_BYTES,
    QuestionError,
    RulesIndex,
    UnreadableDocument,
    answer_text_ja,
    citation_label,
    clean_question,
    contacts_in,
    passages_of,
)


def _fail(ja: str, en: str) -> None:
    click.echo(f"エラー: {ja}\nerror: {en}", err=True)
    raise SystemExit(2)


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        _fail(f"ファイルがありません: {path}", f"no such file: {path}")
    except IsADirectoryError:
        _fail(f"ファイルではなくフォルダです: {path}", f"is a directory, not a file: {path}")
    except OSError as exc:
        _fail(f"ファイルを読めません: {path}", f"cannot read {path}: {exc.strerror or exc}")
    return data


@click.group("rules")
def rules() -> None:
    """社内ルールQ&A（承認済みの文書だけから回答）/ questions answered from rule documents only."""


@rules.command("ask")
@click.option("--document", "documents", multiple=True, required=True, metavar="FILE",
              help="ルール文書（.md / .docx / .pdf、繰り返し指定可）/ a rule document (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="結果をJSONで出力 / print the answer as JSON.")
@click.argument("question")
def ask(documents: tuple[str, ...], as_json: bool, question: str) -> None:
    """QUESTION に、指定した文書の該当箇所を引用して答えます。"""
    try:
        question = clean_question(question)
    except QuestionError as exc:
        _fail(exc.ja, exc.en)
    passages = []
    for path in documents:
        name = Path(path).name
        try:
            passages += passages_of(name, _read(path), document=name, source=path)
        except UnreadableDocument as exc:
            _fail(f"{path}: {exc.ja}", f"{path}: {exc.en}")
    answer = RulesIndex.build(passages).ask(question)
    if as_json:
        result = answer.to_dict()
        if not answer.found:
            result["answer"] = answer_text_ja(answer, contacts_in(passages))
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if not answer.found:
        click.echo(answer_text_ja(answer, contacts_in(passages)))
        return
    click.echo(answer_text_ja(answer))
    click.echo("")
    click.echo("出典:")
    for number, hit in enumerate(answer.citations, start=1):
        click.echo(f"[{number}] {citation_label(hit.passage)}")
        for line in hit.passage.text.splitlines():
            click.echo(f"    {line}")


commands = [rules]
