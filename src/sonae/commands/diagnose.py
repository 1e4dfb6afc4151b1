"""`sonae diagnose ID --answers FILE`: score a diagnosis from a file, without any database.

FILE (JSON or YAML) maps item ids to points or labels, e.g. {"q01": 4, "q02": "一部実施している"}.
Also accepted: the same mapping under a top-level "answers" key. Exit 2 with a clear
message on stderr for an unknown instrument, an unknown item id, a value off the scale, or
missing answers (unless --allow-partial).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import yaml

from sonae.catalog.base import CatalogError
from sonae.catalog.instruments import Instrument, load_instruments
from sonae.commands.catalog import fail
from sonae.engines.scoring import DiagnosisResult, ScoringError, score

MAX_ANSWER_FILE_BYTES = 1_000_000  # 25 answers fit in a few hundred bytes


def read_answers(path: Path, instrument: Instrument) -> dict:
    """Read FILE into a mapping, or exit 2 with a reason a person can act on."""
    try:
        if path.stat().st_size > MAX_ANSWER_FILE_BYTES:
            fail(
                f"回答ファイルが大きすぎます（上限 {MAX_ANSWER_FILE_BYTES} バイト）: {path}",
                f"answer file too large (limit {MAX_ANSWER_FILE_BYTES} bytes): {path}",
            )
        raw = path.read_bytes()
    except OSError as exc:
        fail(f"回答ファイルを読めません: {path}", f"cannot read answer file {path}: {exc.strerror}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        fail(f"回答ファイルがUTF-8ではありません: {path}", f"answer file is not UTF-8: {path}")
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)  # YAML also reads JSON
    except (json.JSONDecodeError, yaml.YAMLError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        fail(
            f"回答ファイルをJSON/YAMLとして読めません: {path}",
            f"answer file is not valid JSON/YAML: {path} ({reason})",
        )
    if isinstance(data, dict) and "answers" in data and "answers" not in instrument.items_by_id:
        data = data["answers"]
    if not isinstance(data, dict):
        fail(
            "回答ファイルは「項目ID: 回答」の対応表にしてください（例: {\"q01\": 4}）。",
            'the answer file must map item ids to answers, e.g. {"q01": 4}.',
        )
    return data


def render_text(result: DiagnosisResult, lang: str) -> str:
    ja = lang == "ja"
    lines = [
        f"{result.title.get(lang)} ({result.instrument_id} v{result.version})",
        (f"合計 {result.total} / {result.max} 点" if ja else f"Total {result.total} / {result.max}"),
        f"{result.band.title.get(lang)}: {result.band.message.get(lang)}",
    ]
    for group in result.chart_groups:
        lines.append(f"  {group.title.get(lang)}: {group.score} / {group.max}")
    if result.unanswered:
        lines.append(("未回答: " if ja else "Unanswered: ") + ", ".join(result.unanswered))
    if result.fix_first:
        lines.append("優先して取り組む項目:" if ja else "Fix first:")
        for fix in result.fix_first[:10]:
            flag = ("（要確認）" if ja else " (check this)") if fix.check else ""
            lines.append(f"  No.{fix.number} {fix.label.get(lang)}{flag}: {fix.advice.get(lang)}")
    return "\n".join(lines)


@click.command("diagnose")
@click.argument("instrument_id")
@click.option(
    "--answers", "answers_path", required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="回答ファイル（JSON/YAML、項目ID→点数またはラベル） / answers file (JSON/YAML: item id → points or label).",
)
@click.option("--json", "as_json", is_flag=True, help="JSONで出力 / print JSON.")
@click.option(
    "--allow-partial", is_flag=True,
    help="未回答を許す（unanswered に列挙） / accept missing answers (listed in unanswered).",
)
@click.option(
    "--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
    help="表示・レポートの言語 / language of text output and reports.",
)
@click.option(
    "--report", "report_path", type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="レポートを書き出す（.pdf/.xlsx/.csv/.svg） / also write a report (.pdf, .xlsx, .csv or .svg radar).",
)
def diagnose(
    instrument_id: str, answers_path: Path, as_json: bool, allow_partial: bool, lang: str,
    report_path: Path | None,
) -> None:
    """回答ファイルから診断結果を計算 / Score a diagnosis from an answer file (no database)."""
    try:
        registry = load_instruments()
    except CatalogError as exc:
        fail("カタログを読み込めません。", str(exc))
    if instrument_id not in registry:
        fail(
            f"診断票 {instrument_id!r} はありません（{', '.join(registry.ids())}）。",
            f"no instrument {instrument_id!r} (known: {', '.join(registry.ids())}).",
        )
    instrument = registry.get(instrument_id)
    answers = read_answers(answers_path, instrument)
    try:
        result = score(instrument, answers)
    except ScoringError as exc:
        fail(exc.ja, exc.en)
    if result.unanswered and not allow_partial:
        missing = ", ".join(result.unanswered)
        fail(
            f"未回答の項目があります（{len(result.unanswered)}件: {missing}）。"
            "途中まででよければ --allow-partial を付けてください。",
            f"{len(result.unanswered)} item(s) unanswered: {missing}. "
            "Use --allow-partial to score a partial diagnosis.",
        )
    if report_path is not None:
        _write_report(result, report_path, lang)
    if as_json:
        click.echo(json.dumps(result.summary(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result, lang))


def _write_report(result: DiagnosisResult, path: Path, lang: str) -> None:
    from sonae.engines import reports

    suffix = path.suffix.lower()
    today = dt.date.today()
    if suffix == ".pdf":
        data: bytes | str = reports.render_pdf(result, generated_on=today, lang=lang)
    elif suffix == ".xlsx":
        data = reports.render_xlsx(result, generated_on=today, lang=lang)
    elif suffix == ".csv":
        data = reports.render_csv(result, lang=lang).encode("utf-8")
    elif suffix == ".svg":
        data = reports.svg_radar_chart(result, lang=lang).encode("utf-8")
    else:
        fail(
            f"レポートの形式がわかりません: {path.name}（.pdf .xlsx .csv .svg）",
            f"unknown report format: {path.name} (use .pdf, .xlsx, .csv or .svg)",
        )
    try:
        path.write_bytes(data)
    except OSError as exc:
        fail(f"レポートを書き出せません: {path}", f"cannot write report {path}: {exc.strerror}")


commands = [diagnose]
