"""Which public support fits a company: profile + sonae's state + the owner's answers → fit per entry.

Pure: no Django, no I/O beyond the catalogue. Every condition of an entry gives one of four fits:

    yes         the data says it holds
    after_step  it does not hold yet, but one thing the company can do makes it hold (the step is named)
    unknown     sonae cannot tell: a question to the owner is open, or the profile lacks the field
    no          the data says it does not hold

All conditions of an entry (its region first) must hold: the worst fit wins, in the order
no < unknown < after_step < yes. When an entry has alternative grounds (融資対象者1〜8), the best ground
counts. An entry past its deadline or older than its review interval is flagged `possibly_outdated`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sonae.catalog.base import Text
from sonae.catalog.support import (
    INDUSTRY_CODES,
    STATES,
    AllOf,
    AnyOf,
    AskCondition,
    Entry,
    FieldCondition,
    RefCondition,
    StateCondition,
    SupportCatalog,
)

YES, AFTER_STEP, UNKNOWN, NO = "yes", "after_step", "unknown", "no"
FITS = (YES, AFTER_STEP, UNKNOWN, NO)
_RANK = {NO: 0, UNKNOWN: 1, AFTER_STEP: 2, YES: 3}


def worst(fits) -> str:
    return min(fits, key=_RANK.__getitem__, default=YES)


def best(fits) -> str:
    return max(fits, key=_RANK.__getitem__, default=NO)


@dataclass(frozen=True)
class Profile:
    """What is known about the company. `employees` is an inclusive range (a band) or one number twice."""

    prefecture: str | None = None
    city: str | None = None
    industry: str | None = None
    employees: tuple[int, int | None] | None = None  # (low, high); high None = no upper bound
    answers: Mapping[str, bool] = field(default_factory=dict)
    state: Mapping[str, bool | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Reason:
    """One condition and how it came out. `kind` is field / state / ask / named / group."""

    fit: str
    kind: str
    key: str
    label: Text | None = None  # the catalogue's own words, when it has them
    op: str | None = None
    values: tuple[str, ...] = ()
    value: int | None = None
    actual: str | None = None  # what the profile holds, for field conditions
    step: Text | None = None
    question: str | None = None  # the open question id, for unknown ask conditions
    ground: int | None = None


@dataclass(frozen=True)
class Outcome:
    fit: str
    reasons: tuple[Reason, ...]
    questions: tuple[str, ...]  # question ids whose answer would change the outcome
    steps: tuple[Text, ...]


@dataclass(frozen=True)
class GroundFit:
    number: int
    label: Text
    fit: str
    reasons: tuple[Reason, ...]
    terms: Text | None
    documents: tuple[Text, ...]
    sonae_documents: tuple[str, ...]


@dataclass(frozen=True)
class BonusFit:
    id: str
    label: Text
    fit: str
    documents: tuple[Text, ...]


@dataclass(frozen=True)
class EntryFit:
    entry: Entry
    fit: str
    reasons: tuple[Reason, ...]
    grounds: tuple[GroundFit, ...]
    bonuses: tuple[BonusFit, ...]
    questions: tuple[str, ...]
    steps: tuple[Text, ...]
    deadline_passed: bool
    review_due: bool  # older than its review interval

    @property
    def possibly_outdated(self) -> bool:
        return self.deadline_passed or self.review_due

    @property
    def fitting_grounds(self) -> tuple[GroundFit, ...]:
        return tuple(g for g in self.grounds if g.fit == self.fit)


def _city_matches(city: str, wanted: str) -> bool:
    # 横浜市中区 is in 横浜市: a designated city's wards count as the city.
    return city == wanted or (city.startswith(wanted) and wanted.endswith("市") and city.endswith("区"))


def _field(condition: FieldCondition, profile: Profile) -> Reason:
    def reason(fit: str, actual: str | None) -> Reason:
        return Reason(fit, "field", condition.field, condition.label, condition.op, tuple(condition.values or ()),
                      condition.value, actual)

    if condition.field == "employees":
        if profile.employees is None:
            return reason(UNKNOWN, None)
        low, high = profile.employees
        actual = f"{low}" if low == high else (f"{low}-" if high is None else f"{low}-{high}")
        limit = condition.value
        assert limit is not None
        holds_low = {"lte": low <= limit, "lt": low < limit, "gte": low >= limit, "gt": low > limit}[condition.op]
        top = high if high is not None else 10**9
        holds_high = {"lte": top <= limit, "lt": top < limit, "gte": top >= limit, "gt": top > limit}[condition.op]
        if holds_low and holds_high:
            return reason(YES, actual)
        if not holds_low and not holds_high:
            return reason(NO, actual)
        return reason(UNKNOWN, actual)  # the band straddles the limit
    actual = getattr(profile, condition.field)
    if not actual:
        return reason(UNKNOWN, None)
    values = condition.values or ()
    if condition.field == "city":
        inside = any(_city_matches(actual, v) for v in values)
    else:
        inside = actual in values
    holds = inside if condition.op == "in" else not inside
    return reason(YES if holds else NO, actual)


def _fit_of(value: bool | None, step: Text | None) -> str:
    """A yes/no fact: unknown while nobody knows it; a "no" the company can change is a step away."""
    if value is None:
        return UNKNOWN
    if value:
        return YES
    return AFTER_STEP if step else NO


class _Evaluator:
    def __init__(self, catalog: SupportCatalog, profile: Profile):
        self.catalog = catalog
        self.profile = profile

    def one(self, condition) -> Outcome:
        profile = self.profile
        if isinstance(condition, FieldCondition):
            r = _field(condition, profile)
            return Outcome(r.fit, (r,), (), ())
        if isinstance(condition, StateCondition):
            fit = _fit_of(profile.state.get(condition.state), condition.step)
            steps = (condition.step,) if fit == AFTER_STEP and condition.step else ()
            r = Reason(fit, "state", condition.state, condition.label, step=condition.step if fit == AFTER_STEP else None)
            return Outcome(fit, (r,), (), steps)
        if isinstance(condition, AskCondition):
            fit = _fit_of(profile.answers.get(condition.ask), condition.step)
            steps = (condition.step,) if fit == AFTER_STEP and condition.step else ()
            r = Reason(fit, "ask", condition.ask, condition.label or self.catalog.questions[condition.ask].text,
                       step=condition.step if fit == AFTER_STEP else None,
                       question=condition.ask)
            # The question stays open while unanswered, and stays changeable once answered.
            return Outcome(fit, (r,), (condition.ask,), steps)
        if isinstance(condition, RefCondition):
            named = self.catalog.named[condition.ref]
            inner = self.one(named.condition)
            r = Reason(inner.fit, "named", named.id, named.label, step=inner.steps[0] if inner.steps else None)
            return Outcome(inner.fit, (r,), inner.questions, inner.steps)
        if isinstance(condition, (AnyOf, AllOf)):
            parts = [self.one(c) for c in (condition.any_of if isinstance(condition, AnyOf) else condition.all_of)]
            fit = (best if isinstance(condition, AnyOf) else worst)(p.fit for p in parts)
            if isinstance(condition, AnyOf) and fit == YES:
                # Once one alternative holds, only answers that made it hold are worth showing (to change them).
                questions = tuple(q for p in parts if p.fit == YES for q in p.questions)
            else:
                questions = tuple(q for p in parts for q in p.questions)
            # An any-of that already holds needs no step; otherwise only the parts that reach its fit matter.
            steps = () if fit == YES else tuple(s for p in parts if p.fit == fit for s in p.steps)
            if condition.label is not None:
                r = Reason(fit, "group", "any_of" if isinstance(condition, AnyOf) else "all_of", condition.label,
                           step=steps[0] if steps else None)
                return Outcome(fit, (r,), questions, steps)
            return Outcome(fit, tuple(r for p in parts for r in p.reasons), questions, steps)
        raise TypeError(f"unknown condition {condition!r}")

    def all(self, conditions, ground: int | None = None) -> Outcome:
        outcomes = [self.one(c) for c in conditions]
        fit = worst(o.fit for o in outcomes)
        reasons = tuple(replace(r, ground=ground) if ground is not None else r for o in outcomes for r in o.reasons)
        steps = tuple(s for o in outcomes for s in o.steps)
        return Outcome(fit, reasons, tuple(q for o in outcomes for q in o.questions), steps)


def _region_conditions(entry: Entry) -> list:
    region = entry.region
    conditions: list = []
    if region.prefecture:
        conditions.append(FieldCondition(field="prefecture", op="in", values=(region.prefecture,)))
    if region.city:
        conditions.append(FieldCondition(field="city", op="in", values=(region.city,)))
    return conditions


def _unique(items):
    return tuple(dict.fromkeys(items))


def evaluate(entry: Entry, profile: Profile, today: dt.date, catalog: SupportCatalog) -> EntryFit:
    ev = _Evaluator(catalog, profile)
    base = ev.all([*_region_conditions(entry), *entry.conditions])
    grounds = []
    for ground in entry.grounds:
        outcome = ev.all(ground.conditions, ground=ground.number)
        grounds.append((ground, outcome))
    if grounds:
        ground_fit = best(o.fit for _g, o in grounds)
        fit = worst([base.fit, ground_fit])
        chosen = [o for _g, o in grounds if o.fit == ground_fit]
        reasons = base.reasons + tuple(r for o in chosen for r in o.reasons)
        steps = base.steps + tuple(s for o in chosen for s in o.steps) if fit == AFTER_STEP else base.steps
        # With a ground that holds, the other grounds' questions cannot change anything.
        asked = chosen if ground_fit == YES else [o for _g, o in grounds]
        questions = base.questions + tuple(q for o in asked for q in o.questions)
    else:
        fit, reasons, steps, questions = base.fit, base.reasons, base.steps, base.questions
    bonuses = []
    for bonus in entry.bonuses:
        outcome = ev.all(bonus.conditions)
        bonuses.append(BonusFit(bonus.id, bonus.label, outcome.fit, bonus.documents))
        questions += outcome.questions
    if fit == NO:
        steps = ()
        if any(r.fit == NO and r.kind in ("field", "state", "named") for r in base.reasons):
            questions = ()  # the company is outside the programme: asking more would waste the owner's time
    deadline_passed = bool(entry.deadline and entry.deadline < today)
    review_due = (today - entry.source.as_of).days > entry.review_days
    return EntryFit(
        entry=entry,
        fit=fit,
        reasons=reasons,
        grounds=tuple(
            GroundFit(g.number, g.label, o.fit, o.reasons, g.terms, g.documents, g.sonae_documents) for g, o in grounds
        ),
        bonuses=tuple(bonuses),
        questions=_unique(questions),
        steps=_unique(steps),
        deadline_passed=deadline_passed,
        review_due=review_due,
    )


def match(catalog: SupportCatalog, profile: Profile, today: dt.date) -> list[EntryFit]:
    """Every entry with its fit, best fits first (catalogue order within a fit)."""
    fits = [evaluate(entry, profile, today, catalog) for entry in catalog.entries]
    order = {entry.id: index for index, entry in enumerate(catalog.entries)}
    return sorted(fits, key=lambda f: (-_RANK[f.fit], order[f.entry.id]))


# -- profile from plain data (CLI, API) --------------------------------------------------------------


class ProfileError(ValueError):
    """A profile field is unknown or has a value that cannot be (a prefecture that does not exist, −3 employees)."""

    def __init__(self, field_name: str, ja: str, en: str):
        super().__init__(f"{field_name}: {en}")
        self.field = field_name
        self.ja = ja
        self.en = en


PROFILE_KEYS = ("prefecture", "city", "employees", "industry", "answers", "state")
MAX_EMPLOYEES = 10_000_000
MAX_CITY_CHARS = 40
_CITY_SUFFIXES = ("市", "区", "町", "村")


def validate_city(city: str, prefecture: str | None, catalog: SupportCatalog) -> str:
    """A 市区町村 as people write it (NFKC, no spaces), or ValueError with the reason in English."""
    import unicodedata

    value = unicodedata.normalize("NFKC", city).strip().replace(" ", "").replace("\u3000", "")
    if not value:
        raise ValueError("empty")
    if len(value) > MAX_CITY_CHARS:
        raise ValueError(f"longer than {MAX_CITY_CHARS} characters")
    if any(unicodedata.category(ch)[0] in "CPSZ" and ch not in "ヶケ・" for ch in value):
        raise ValueError("contains characters that are not part of a municipality name")
    if not value.endswith(_CITY_SUFFIXES):
        raise ValueError("a municipality name ends in 市, 区, 町 or 村")
    if prefecture and (conflict := city_prefecture_conflict(value, prefecture, catalog)):
        raise ValueError(f"{value} is in {conflict}, not {prefecture}")
    return value


def city_prefecture_conflict(city: str, prefecture: str, catalog: SupportCatalog) -> str | None:
    """The prefecture a known city really is in, when the profile puts it in another one."""
    for known, known_prefecture in catalog.city_prefectures.items():
        if _city_matches(city, known) and known_prefecture != prefecture:
            return known_prefecture
    return None


def profile_from_dict(data: object, catalog: SupportCatalog) -> Profile:
    """Check a profile given as plain data (the CLI's JSON file); raises ProfileError naming the field."""
    if not isinstance(data, dict):
        raise ProfileError("(top)", "プロフィールはJSONのオブジェクトにしてください。", "the profile must be a JSON object")
    for key in data:
        if key not in PROFILE_KEYS:
            raise ProfileError(str(key), f"知らない項目です: {key}（使える項目: {', '.join(PROFILE_KEYS)}）",
                               f"unknown key (known: {', '.join(PROFILE_KEYS)})")
    prefecture = data.get("prefecture")
    if prefecture is not None and (not isinstance(prefecture, str) or prefecture not in catalog.prefectures):
        raise ProfileError("prefecture", f"都道府県名が正しくありません: {prefecture!r}（例: 神奈川県）",
                           f"not a Japanese prefecture: {prefecture!r} (e.g. 神奈川県)")
    city = data.get("city")
    if city is not None:
        if not isinstance(city, str):
            raise ProfileError("city", "市区町村は文字で指定してください。", "city must be a string")
        try:
            # A city in the wrong prefecture is evaluated as given (the region conditions then say no);
            # the CLI warns about it, the organisation form refuses it.
            city = validate_city(city, None, catalog)
        except ValueError as exc:
            raise ProfileError("city", f"市区町村が正しくありません: {city!r}", f"not a municipality: {city!r} ({exc})") from None
    employees = data.get("employees")
    band = None
    if employees is not None:
        if isinstance(employees, bool) or not isinstance(employees, int) or not 0 <= employees <= MAX_EMPLOYEES:
            raise ProfileError("employees", f"従業員数は0以上の整数で指定してください: {employees!r}",
                               f"employees must be a whole number from 0 to {MAX_EMPLOYEES}: {employees!r}")
        band = (employees, employees)
    industry = data.get("industry")
    if industry is not None and (not isinstance(industry, str) or industry not in INDUSTRY_CODES):
        raise ProfileError("industry", f"業種は日本標準産業分類の大分類（A〜T）で指定してください: {industry!r}",
                           f"industry must be a JSIC division letter A–T: {industry!r}")
    answers = {} if data.get("answers") is None else data["answers"]
    if not isinstance(answers, dict):
        raise ProfileError("answers", "answers は「質問ID: true/false」の対応表にしてください。",
                           "answers must map question ids to true/false")
    for key, value in answers.items():
        if key not in catalog.questions:
            raise ProfileError(f"answers.{key}", f"知らない質問IDです: {key}", f"unknown question id (see `sonae support questions`)")
        if not isinstance(value, bool):
            raise ProfileError(f"answers.{key}", "回答は true か false で指定してください。", "an answer must be true or false")
    state = {} if data.get("state") is None else data["state"]
    if not isinstance(state, dict):
        raise ProfileError("state", "state は「状態: true/false」の対応表にしてください。", "state must map state names to true/false")
    for key, value in state.items():
        if key not in STATES:
            raise ProfileError(f"state.{key}", f"知らない状態です: {key}（{', '.join(STATES)}）",
                               f"unknown state (known: {', '.join(STATES)})")
        if value is not None and not isinstance(value, bool):
            raise ProfileError(f"state.{key}", "状態は true か false で指定してください。", "a state must be true, false or null")
    return Profile(prefecture=prefecture, city=city, industry=industry, employees=band, answers=dict(answers), state=dict(state))


# -- plain text of a reason (CLI, documents) ----------------------------------------------------------


_FIELD_NAMES = {
    "prefecture": ("所在地（都道府県）", "prefecture"),
    "city": ("所在地（市区町村）", "city"),
    "industry": ("業種", "industry"),
    "employees": ("従業員数", "employees"),
}
_OPS = {
    "lte": ("{v}人以下", "at most {v}"), "lt": ("{v}人未満", "fewer than {v}"),
    "gte": ("{v}人以上", "at least {v}"), "gt": ("{v}人を超える", "more than {v}"),
}
STATE_TEXT = {
    "jigyokei_approved": Text(ja="事業継続力強化計画の認定を受けている", en="The Jigyokei plan is certified"),
    "jigyokei_in_sonae": Text(ja="事業継続力強化計画を sonae で作って承認した", en="A Jigyokei plan is drafted and approved in sonae"),
    "security_action_one_star": Text(ja="SECURITY ACTION ★一つ星の準備ができている", en="Ready for SECURITY ACTION one star"),
    "security_action_two_star": Text(ja="SECURITY ACTION ★★二つ星の準備ができている", en="Ready for SECURITY ACTION two stars"),
}


def reason_text(reason: Reason, lang: str = "ja") -> str:
    """One line for a reason, in Japanese or English (profile values are shown as stored)."""
    ja = not lang.startswith("en")
    if reason.label is not None:
        text = reason.label.get(lang)
    elif reason.kind == "state":
        text = STATE_TEXT[reason.key].get(lang)
    elif reason.kind == "field":
        name_ja, name_en = _FIELD_NAMES[reason.key]
        if reason.key == "employees":
            op_ja, op_en = _OPS[reason.op or "lte"]
            text = f"{name_ja}が{op_ja.format(v=reason.value)}" if ja else f"{name_en} {op_en.format(v=reason.value)}"
        else:
            joined = "・".join(reason.values) if ja else ", ".join(reason.values)
            if reason.op == "in":
                text = f"{name_ja}が{joined}" if ja else f"{name_en}: {joined}"
            else:
                text = f"{name_ja}が{joined}以外" if ja else f"{name_en} other than {joined}"
        if reason.actual is not None:
            text += f"（登録: {reason.actual}）" if ja else f" (registered: {reason.actual})"
        elif reason.fit == UNKNOWN:
            text += "（未登録）" if ja else " (not registered)"
    else:
        text = reason.key
    if reason.ground is not None:
        text = (f"融資対象者{reason.ground}: " if ja else f"ground {reason.ground}: ") + text
    if reason.step is not None:
        text += (" → 次の一歩: " if ja else " → next step: ") + reason.step.get(lang)
    return text


def fit_as_dict(fit: EntryFit, lang: str = "ja") -> dict:
    """The JSON shape of one entry's fit (the CLI contract; the web page shows the same facts)."""
    entry = fit.entry
    return {
        "id": entry.id,
        "name": entry.name.get(lang),
        "fit": fit.fit,
        "reasons": [
            {"fit": r.fit, "text": reason_text(r, lang), "ground": r.ground, "kind": r.kind, "key": r.key}
            for r in fit.reasons
        ],
        "grounds": [
            {"number": g.number, "label": g.label.get(lang), "fit": g.fit,
             "reasons": [{"fit": r.fit, "text": reason_text(r, lang)} for r in g.reasons]}
            for g in fit.grounds
        ],
        "steps": [s.get(lang) for s in fit.steps],
        "questions": list(fit.questions),
        "provider": entry.provider.get(lang),
        "kind": entry.kind,
        "region": entry.region.key,
        "source_url": str(entry.source.url),
        "as_of": entry.source.as_of.isoformat(),
        "deadline": entry.deadline.isoformat() if entry.deadline else None,
        "deadline_passed": fit.deadline_passed,
        "possibly_outdated": fit.possibly_outdated,
    }
