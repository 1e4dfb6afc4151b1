"""Scoring of diagnoses: an instrument plus answers in, a plain result out.

Pure: no Django, no I/O. The instrument comes from sonae.catalog.instruments; answers are a
mapping of item id to either the answer's points (4, 2, 0, -1) or a label (the option id
"done", the Japanese label 「実施している」 or the English label "Done").

Rules implemented (sources in the instrument files):
- total = sum of the answered items' points (IPA: 25 items, 4/2/0/−1, max 100, min −25);
- the band is the instrument's band holding the total;
- part subtotals with their maxima (IPA: 20 / 52 / 28); tag subtotals always, which the
  radar chart uses for instruments without parts;
- "fix first": every item below the best answer, the lowest points first (わからない −1 and
  実施していない 0 before 一部実施している 2), わからない flagged "check this";
- SECURITY ACTION readiness: ★ = all five principles committed; ★★ = an ipa-5min
  diagnosis complete and a published 情報セキュリティ基本方針 (IPA SECURITY ACTION page).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sonae.catalog.base import Text
from sonae.catalog.instruments import AnswerOption, Instrument

# Peer benchmarks are shown only for groups of at least this many organisations, so no
# single organisation's answers can be inferred (issue 3: "never reveal a single organisation").
MIN_PEER_GROUP = 5


class ScoringError(ValueError):
    """Answers that do not fit the instrument. Carries a Japanese and an English message."""

    def __init__(self, ja: str, en: str, *, item_id: str | None = None) -> None:
        self.ja = ja
        self.en = en
        self.item_id = item_id
        super().__init__(f"{ja} / {en}")


@dataclass(frozen=True)
class ItemScore:
    item_id: str
    number: int
    text: Text
    part: str | None
    tags: tuple[str, ...]
    option_id: str
    label: Text
    points: int
    max_points: int
    unknown: bool


@dataclass(frozen=True)
class GroupScore:
    """A subtotal over a part or a tag. `score` may be negative (わからない counts −1)."""

    id: str
    title: Text
    score: int
    max: int
    answered: int
    count: int

    @property
    def ratio(self) -> float:
        """Share of the maximum, clamped to 0..1 for charts."""
        return min(1.0, max(0.0, self.score / self.max)) if self.max else 0.0


@dataclass(frozen=True)
class FixItem:
    item_id: str
    number: int
    text: Text
    part: str | None
    label: Text
    points: int
    check: bool  # answered わからない: find out first, then act
    advice: Text
    source_url: str
    source_title: str | None
    source_as_of: dt.date


@dataclass(frozen=True)
class BandResult:
    id: str
    title: Text
    message: Text
    min: int | None
    max: int | None


@dataclass(frozen=True)
class DiagnosisResult:
    instrument_id: str
    version: str
    title: Text
    total: int
    max: int
    min: int
    band: BandResult
    parts: tuple[GroupScore, ...]
    tags: tuple[GroupScore, ...]
    items: tuple[ItemScore, ...]
    unanswered: tuple[str, ...]
    fix_first: tuple[FixItem, ...]
    recheck_months: int

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def chart_groups(self) -> tuple[GroupScore, ...]:
        """What the radar chart shows: parts, or tags where the instrument has no parts."""
        return self.parts or self.tags

    def summary(self) -> dict:
        """The JSON contract of `sonae diagnose --json` (keys may be added, never renamed)."""
        return {
            "instrument": self.instrument_id,
            "version": self.version,
            "total": self.total,
            "max": self.max,
            "band": self.band.id,
            "band_title": {"ja": self.band.title.ja, "en": self.band.title.en},
            "parts": {p.id: {"score": p.score, "max": p.max} for p in self.parts},
            "tags": {t.id: {"score": t.score, "max": t.max} for t in self.tags},
            "unanswered": list(self.unanswered),
            "complete": self.complete,
            "fix_first": [
                {"item": f.item_id, "number": f.number, "points": f.points, "check": f.check}
                for f in self.fix_first
            ],
        }


def _shown(value: object) -> str:
    """A short, safe rendering of a bad value for an error message (never repr a big tree)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return "<large integer>"  # repr of a huge int is slow or refused (int max str digits)
    if value is None or isinstance(value, (bool, int, float, str)):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return f"<{type(value).__name__}>"


def _scale_text(instrument: Instrument) -> tuple[str, str]:
    ja = "、".join(f"{o.label.ja}={o.points}" for o in instrument.scale)
    en = ", ".join(f"{o.label.en}={o.points}" for o in instrument.scale)
    return ja, en


def resolve_answer(instrument: Instrument, item_id: str, value: object) -> AnswerOption:
    """Map one answer value (points or label) to the scale option, or raise ScoringError."""
    by_points, by_label = instrument.options_by_points, instrument.options_by_label
    option: AnswerOption | None = None
    if isinstance(value, bool):
        option = None  # True/False are ints in Python; never accept them as points
    elif isinstance(value, int):
        option = by_points.get(value)
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        option = by_points.get(int(value))
    elif isinstance(value, str):
        text = value.strip()
        option = by_label.get(text.casefold())
        if option is None:
            try:
                option = by_points.get(int(text))
            except ValueError:
                option = None
    if option is None:
        shown = _shown(value)
        scale_ja, scale_en = _scale_text(instrument)
        raise ScoringError(
            f"項目 {item_id} の回答 {shown} は回答の選択肢にありません（{scale_ja}）。",
            f"answer {shown} for item {item_id} is not on the scale ({scale_en}).",
            item_id=item_id,
        )
    return option


def check_version(instrument: Instrument, version: str) -> None:
    """Saved answers keep their meaning only with the instrument version they were given for.
    Raise ScoringError when `version` (stored with a diagnosis) is not the loaded one."""
    if version != instrument.version:
        raise ScoringError(
            f"この回答は {instrument.id} の版 {version} に対するものです（現在の版は {instrument.version}）。",
            f"these answers were given for {instrument.id} version {version}; the loaded version is "
            f"{instrument.version}.",
        )


def score(instrument: Instrument, answers: Mapping[str, object]) -> DiagnosisResult:
    """Score `answers` (item id → points or label; None = unanswered) against `instrument`."""
    if not isinstance(answers, Mapping):
        raise ScoringError(
            "回答は「項目ID: 回答」の対応表で指定してください。",
            "answers must be a mapping of item id to answer.",
        )
    known = instrument.items_by_id
    for key in answers:
        if not isinstance(key, str) or key not in known:
            shown = _shown(key)
            raise ScoringError(
                f"{instrument.id} に項目 {shown} はありません。",
                f"{instrument.id} has no item {shown}.",
                item_id=shown,
            )

    best = instrument.best_points
    scored: list[ItemScore] = []
    unanswered: list[str] = []
    for item in instrument.items:
        value = answers.get(item.id)
        if value is None:
            unanswered.append(item.id)
            continue
        option = resolve_answer(instrument, item.id, value)
        scored.append(
            ItemScore(
                item_id=item.id,
                number=item.number,
                text=item.text,
                part=item.part,
                tags=item.tags,
                option_id=option.id,
                label=option.label,
                points=option.points,
                max_points=best,
                unknown=option.unknown,
            )
        )

    total = sum(s.points for s in scored)
    by_id = {s.item_id: s for s in scored}

    def group(group_id: str, title: Text, members: Sequence) -> GroupScore:
        answered = [by_id[m.id] for m in members if m.id in by_id]
        return GroupScore(
            id=group_id,
            title=title,
            score=sum(s.points for s in answered),
            max=best * len(members),
            answered=len(answered),
            count=len(members),
        )

    parts = tuple(
        group(part.id, part.title, instrument.items_in_part(part.id)) for part in instrument.parts
    )
    tags = tuple(
        group(tag, title, instrument.items_with_tag(tag))
        for tag, title in instrument.tags.items()
        if instrument.items_with_tag(tag)
    )

    # 0 and −1 first (issue 3): わからない ranks with the lowest known answer, then by number.
    lowest_known = min((o.points for o in instrument.scale if not o.unknown), default=0)
    weak = sorted(
        (s for s in scored if s.points < best),
        key=lambda s: (lowest_known if s.unknown else s.points, s.number),
    )
    fix_first = tuple(
        FixItem(
            item_id=s.item_id,
            number=s.number,
            text=s.text,
            part=s.part,
            label=s.label,
            points=s.points,
            check=s.unknown,
            advice=known[s.item_id].advice,
            source_url=str(known[s.item_id].source.url),
            source_title=known[s.item_id].source.title,
            source_as_of=known[s.item_id].source.as_of,
        )
        for s in weak
    )

    band = instrument.band_for(total)
    return DiagnosisResult(
        instrument_id=instrument.id,
        version=instrument.version,
        title=instrument.title,
        total=total,
        max=instrument.max_score,
        min=instrument.min_score,
        band=BandResult(
            id=band.id, title=band.title, message=band.message, min=band.min, max=band.max
        ),
        parts=parts,
        tags=tags,
        items=tuple(scored),
        unanswered=tuple(unanswered),
        fix_first=fix_first,
        recheck_months=instrument.recheck_months,
    )


@dataclass(frozen=True)
class GroupDelta:
    id: str
    title: Text
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class ItemChange:
    item_id: str
    number: int
    before: int | None  # None: not answered in that run
    after: int | None


@dataclass(frozen=True)
class Comparison:
    instrument_id: str
    before_version: str
    after_version: str
    before_total: int
    after_total: int
    before_band: str
    after_band: str
    parts: tuple[GroupDelta, ...]
    changed: tuple[ItemChange, ...]

    @property
    def delta(self) -> int:
        return self.after_total - self.before_total

    @property
    def same_version(self) -> bool:
        return self.before_version == self.after_version

    @property
    def band_changed(self) -> bool:
        return self.before_band != self.after_band

    @property
    def improved(self) -> tuple[ItemChange, ...]:
        return tuple(c for c in self.changed if (c.after or 0) > (c.before or 0))

    @property
    def worsened(self) -> tuple[ItemChange, ...]:
        return tuple(c for c in self.changed if (c.after or 0) < (c.before or 0))


def compare(before: DiagnosisResult, after: DiagnosisResult) -> Comparison:
    """Side-by-side comparison of two runs of the same instrument (versions may differ)."""
    if before.instrument_id != after.instrument_id:
        raise ScoringError(
            f"別の診断（{before.instrument_id} と {after.instrument_id}）は比較できません。",
            f"cannot compare different instruments ({before.instrument_id} and {after.instrument_id}).",
        )
    after_parts = {p.id: p for p in after.parts}
    parts = tuple(
        GroupDelta(id=p.id, title=p.title, before=p.score, after=after_parts[p.id].score)
        for p in before.parts
        if p.id in after_parts
    )
    before_items = {s.item_id: s for s in before.items}
    after_items = {s.item_id: s for s in after.items}
    numbers = {s.item_id: s.number for s in (*before.items, *after.items)}
    def points(scores: dict[str, ItemScore], item_id: str) -> int | None:
        found = scores.get(item_id)
        return found.points if found else None

    changed = tuple(
        ItemChange(
            item_id=item_id,
            number=numbers[item_id],
            before=points(before_items, item_id),
            after=points(after_items, item_id),
        )
        for item_id in sorted(numbers, key=lambda i: numbers[i])
        if points(before_items, item_id) != points(after_items, item_id)
    )
    return Comparison(
        instrument_id=before.instrument_id,
        before_version=before.version,
        after_version=after.version,
        before_total=before.total,
        after_total=after.total,
        before_band=before.band.id,
        after_band=after.band.id,
        parts=parts,
        changed=changed,
    )


@dataclass(frozen=True)
class PeerAverage:
    instrument_id: str
    group_size: int
    total: float
    parts: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RunScore:
    """What the peer average needs of one run: its total and its part subtotals by part id."""

    instrument_id: str
    total: int
    parts: dict[str, int] = field(default_factory=dict)


def run_score(result: DiagnosisResult) -> RunScore:
    return RunScore(result.instrument_id, result.total, {part.id: part.score for part in result.parts})


def peer_average(
    results: Iterable[DiagnosisResult], min_group: int = MIN_PEER_GROUP
) -> PeerAverage | None:
    """Average of other organisations' results (one result per organisation, supplied by the
    caller). None when fewer than `min_group` results, so no single organisation shows through.
    `min_group` may be raised but never below MIN_PEER_GROUP."""
    return peer_average_of([run_score(r) for r in results], min_group)


def peer_average_of(scores: Iterable[RunScore], min_group: int = MIN_PEER_GROUP) -> PeerAverage | None:
    """`peer_average` over runs' totals and part subtotals (e.g. the snapshots kept on submission),
    so a caller need not score every run again."""
    if min_group < MIN_PEER_GROUP:
        raise ValueError(f"min_group must be at least {MIN_PEER_GROUP}")
    scores = list(scores)
    if len(scores) < min_group:
        return None
    ids = {s.instrument_id for s in scores}
    if len(ids) != 1:
        raise ScoringError(
            "別の診断の結果は平均できません。",
            f"cannot average results of different instruments ({', '.join(sorted(ids))}).",
        )
    part_sums: dict[str, list[int]] = {}
    for run in scores:
        for part_id, part_score in run.parts.items():
            part_sums.setdefault(part_id, []).append(part_score)
    return PeerAverage(
        instrument_id=ids.pop(),
        group_size=len(scores),
        total=round(sum(s.total for s in scores) / len(scores), 1),
        # A part is averaged only when every result in the group has it (versions may differ).
        parts={
            pid: round(sum(vals) / len(vals), 1)
            for pid, vals in part_sums.items()
            if len(vals) == len(scores)
        },
    )


@dataclass(frozen=True)
class Readiness:
    """SECURITY ACTION self-declaration readiness (宣言; never 認定)."""

    one_star: bool
    two_star: bool
    missing_one_star: tuple[Text, ...]
    missing_two_star: tuple[Text, ...]


_MISSING_FIVE = Text(
    ja="情報セキュリティ5か条のすべてに取り組むと決める",
    en="Commit to all five security principles",
)
_MISSING_DIAGNOSIS = Text(
    ja="「5分でできる！情報セキュリティ自社診断」を全25項目回答する",
    en="Complete all 25 items of the IPA 5-minute self-diagnosis",
)
_MISSING_POLICY = Text(
    ja="情報セキュリティ基本方針を定めて公開する",
    en="Set and publish an information security policy",
)


def security_action_readiness(
    *, five_committed: bool, ipa_diagnosis_complete: bool, policy_published: bool
) -> Readiness:
    """★: all five principles committed. ★★: IPA diagnosis complete and policy published.
    (IPA SECURITY ACTION: ★★ = 自社診断 done + 基本方針 set and published, then declared.)"""
    missing_two = tuple(
        text
        for text, ok in ((_MISSING_DIAGNOSIS, ipa_diagnosis_complete), (_MISSING_POLICY, policy_published))
        if not ok
    )
    return Readiness(
        one_star=bool(five_committed),
        two_star=bool(ipa_diagnosis_complete and policy_published),
        missing_one_star=() if five_committed else (_MISSING_FIVE,),
        missing_two_star=missing_two,
    )


def five_committed(result: DiagnosisResult) -> bool:
    """True when a `security-action-5` result commits to every principle."""
    return result.instrument_id == "security-action-5" and result.complete and result.total == result.max


def next_due(last_date: dt.date, months: int = 6) -> dt.date:
    """Date the next diagnosis is due (定期的に診断する); month ends clamp (Aug 31 + 6 → Feb 28/29)."""
    if months < 1:
        raise ValueError("months must be at least 1")
    month_index = last_date.month - 1 + months
    year = last_date.year + month_index // 12
    month = month_index % 12 + 1
    day = min(last_date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)
