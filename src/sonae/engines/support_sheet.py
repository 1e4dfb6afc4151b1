"""The 「支援策の候補」 sheet: what fits a company, why, and what to bring, for a meeting with the bank or an advisor.

Built from the support engine's results into the documents engine's neutral blocks, so it is drawn by
the same Word and PDF renderers as the plans (one look, one set of Japanese fonts). Japanese only: the
sheet is taken to Japanese banks and support centres.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .documents.blocks import Built, Bullets, Heading, KeyValues, Meta, Para, Table
from .documents.render_docx import render_docx
from .documents.render_pdf import render_pdf
from .support import AFTER_STEP, UNKNOWN, YES, EntryFit, reason_text

TITLE = "支援策の候補"
FIT_MARK = {YES: "○ 使える", AFTER_STEP: "→ あと一歩", UNKNOWN: "？ 要確認", "no": "× 対象外"}


def _date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _entry_blocks(fit: EntryFit, sonae_has: dict[str, bool]) -> list:
    entry = fit.entry
    blocks: list = [Heading(2, f"{FIT_MARK[fit.fit]}　{entry.name.ja}")]
    blocks.append(Para(f"{entry.provider.ja}。{entry.gives.ja}"))
    if fit.possibly_outdated:
        why = "期限を過ぎています" if fit.deadline_passed else "確認日から時間がたっています"
        blocks.append(Para(f"注意：{why}。最新の内容を窓口か公式の情報で確かめてください。", "note"))
    if fit.fitting_grounds and fit.fit in (YES, AFTER_STEP):
        numbers = "・".join(str(g.number) for g in fit.fitting_grounds)
        blocks.append(Para(f"該当する融資対象者：{numbers}"))
    blocks.append(Bullets([("○ " if r.fit == YES else "→ " if r.fit == AFTER_STEP else "？ " if r.fit == UNKNOWN else "× ")
                           + reason_text(r, "ja") for r in fit.reasons]))
    rows: list[tuple[str, str]] = []
    for detail in entry.details:
        rows.append(("内容", detail.ja))
    for ground in fit.fitting_grounds:
        if ground.terms:
            rows.append((f"期間（対象者{ground.number}）", ground.terms.ja))
    documents = [d.ja for g in fit.fitting_grounds for d in g.documents]
    for bonus in fit.bonuses:
        rows.append(("上乗せ", f"{bonus.label.ja}（{FIT_MARK[bonus.fit]}）"))
        if bonus.fit == YES:
            documents += [d.ja for d in bonus.documents]
    if documents:
        rows.append(("必要な書類", "、".join(documents)))
    kinds = {k for g in fit.fitting_grounds for k in g.sonae_documents} | set(entry.sonae_documents)
    names = {"jigyokei": "事業継続力強化計画", "security_policy": "情報セキュリティ基本方針"}
    for kind in sorted(kinds):
        state = "sonae に承認済みの版があります" if sonae_has.get(kind) else "sonae のビルダーで作れます"
        rows.append(("sonae で用意できる書類", f"{names[kind]}（{state}）"))
    for item in entry.prepare:
        rows.append(("準備", item.ja))
    for step in fit.steps:
        rows.append(("次の一歩", step.ja))
    if entry.deadline:
        meaning = f"（{entry.deadline_meaning.ja}）" if entry.deadline_meaning else ""
        rows.append(("期限", _date(entry.deadline) + meaning))
    if entry.contact:
        reach = "　".join(x for x in (entry.contact.phone, entry.contact.email, entry.contact.url) if x)
        rows.append(("問い合わせ", f"{entry.contact.name.ja}　{reach}"))
    title = entry.source.title or ""
    rows.append(("出典", f"{title} {entry.source.url}（{_date(entry.source.as_of)}時点）".strip()))
    blocks.append(KeyValues(rows))
    return blocks


def build_sheet(
    *,
    org_name: str,
    profile_rows: Sequence[tuple[str, str]],
    fits: Sequence[EntryFit],
    questions: Sequence[tuple[str, str]],
    today: dt.date,
    sonae_has: dict[str, bool] | None = None,
) -> Built:
    """`questions`: (question text, answer text) for everything the owner answered or still has to."""
    sonae_has = sonae_has or {}
    built = Built(Meta(title=TITLE, org_name=org_name, version_label=None, approved_by=None, approved_at=None))
    blocks = built.blocks
    blocks.append(Para(f"作成日：{_date(today)}"))
    blocks.append(Para("sonae が会社の登録内容と回答から、使えそうな公的支援を選びました。申込みの前に、各窓口で最新の条件を確かめてください。", "note"))
    blocks.append(Heading(1, "会社の情報"))
    blocks.append(KeyValues(list(profile_rows)))
    chosen = [f for f in fits if f.fit in (YES, AFTER_STEP)]
    blocks.append(Heading(1, "一覧"))
    blocks.append(Table(
        headers=["判定", "支援策", "提供元", "確認日"],
        rows=[[FIT_MARK[f.fit], f.entry.name.ja, f.entry.provider.ja, _date(f.entry.source.as_of)] for f in chosen]
        or [["—", "該当する支援策はありません", "", ""]],
        widths=[0.8, 2.6, 1.8, 0.9],
    ))
    for fit in chosen:
        blocks.extend(_entry_blocks(fit, sonae_has))
    if questions:
        blocks.append(Heading(1, "確認した事項・まだ答えていない質問"))
        blocks.append(Table(headers=["質問", "回答"], rows=[[q, a] for q, a in questions], widths=[3.5, 1.0]))
    return built


def render_sheet(built: Built, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(built)
    if fmt == "docx":
        return render_docx(built)
    raise ValueError(f"unknown format {fmt!r}")
