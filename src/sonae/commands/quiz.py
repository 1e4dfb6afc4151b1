"""`sonae quiz make`: FACT or FAKE quiz items (realistic SMS and mail, genuine and fake), offline.

    sonae quiz make --count 10 --seed 7 --json

prints a JSON list of {"id", "channel": "sms"|"mail", "text", "answer": "fake"|"real", "findings": [...]}:
`findings` is what `sonae check` finds on that exact text (a mail's text is the whole .eml). The same seed
gives the same items. Wrong arguments (a count of 0, a negative or huge count, a seed that is not a whole
number) exit 2 with a message. Engine only: no database, no network.
"""

from __future__ import annotations

import json

import click

from sonae.engines.quiz import MAX_COUNT, MAX_SEED, QuizError, check_item, make_quiz

_VERDICT_JA = {"danger": "危険", "caution": "注意", "none": "問題は見つかりませんでした"}
_ANSWER_JA = {"fake": "FAKE（偽物）", "real": "FACT（本物）"}


class _WholeNumber(click.ParamType):
    """An integer within bounds, with a message in Japanese and English (click's own is English only)."""

    name = "integer"

    def __init__(self, low: int, high: int, what_ja: str, what_en: str) -> None:
        self.low, self.high, self.what_ja, self.what_en = low, high, what_ja, what_en

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            if not text.lstrip("-").isdigit() or len(text) > 30:
                self.fail(f"{self.what_ja}は整数で指定してください / {self.what_en} must be a whole number: {str(value)[:40]!r}",
                          param, ctx)
            number = int(text)
        if not self.low <= number <= self.high:
            self.fail(f"{self.what_ja}は{self.low}から{self.high}までです / {self.what_en} must be between {self.low} and "
                      f"{self.high}: {number if abs(number) < 10**30 else '…'}", param, ctx)
        return number


@click.group("quiz")
def quiz() -> None:
    """偽メール・偽SMSを見分けるクイズ（FACT or FAKE）/ the FACT or FAKE quiz."""


@quiz.command("make")
@click.option("--count", "count", required=True, type=_WholeNumber(1, MAX_COUNT, "問題数", "--count"),
              help=f"問題数（1〜{MAX_COUNT}）/ number of items.")
@click.option("--seed", "seed", type=_WholeNumber(0, MAX_SEED, "シード", "--seed"), default=None,
              help="同じシードなら同じ問題 / the same seed gives the same items.")
@click.option("--json", "as_json", is_flag=True, help="JSONの一覧で出力します / print a JSON list.")
def make(count: int, seed: int | None, as_json: bool) -> None:
    """クイズの問題を作ります（オフライン）。 / Make quiz items (offline)."""
    try:
        items = make_quiz(count, seed)
    except QuizError as exc:  # validated above too; kept for callers of the engine's own limits
        raise click.UsageError(f"{exc.message_ja} / {exc.message_en}") from None
    if as_json:
        click.echo(json.dumps([item.contract() for item in items], ensure_ascii=False, indent=1))
        return
    for number, item in enumerate(items, 1):
        report = check_item(item)
        click.echo(f"== {number}. {item.id} ({item.channel}) 正解: {_ANSWER_JA[item.answer]} / チェッカー: {_VERDICT_JA[report.verdict]} ==")
        click.echo(item.text.rstrip())
        click.echo("")


commands = [quiz]
