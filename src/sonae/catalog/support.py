"""The support catalogue (支援策): public programmes, who may use them, and where the facts come from.

Files: `data/support/_definitions.yaml` (questions to the owner, named conditions such as 中小企業者,
the prefectures of designated cities) and one file per region (`national.yaml`, `kanagawa.yaml`,
`yokohama.yaml`, …) with the entries. Eligibility is written as machine-readable conditions that the
support engine (`sonae.engines.support`) evaluates against an organisation's profile, sonae's own state
and the owner's remembered answers:

    {field: prefecture, op: in, values: [神奈川県]}     profile fields: prefecture, city, industry, employees
    {field: employees, op: lte, value: 300}
    {state: jigyokei_approved, step: {ja, en}}           what sonae knows; `step` says how to get there
    {ask: sales_down_5pct}                                a yes/no question to the owner (text in _definitions)
    {any_of: [...]} / {all_of: [...]} / {ref: sme}        combinations and named conditions

A broken file stops start-up with the file, the place and the reason (CatalogError).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import Field, field_validator, model_validator

from .base import DATA_DIR, CatalogError, Source, StrictModel, Text, parse_file

SUPPORT_DIR = DATA_DIR / "support"
INDUSTRY_CODES = tuple("ABCDEFGHIJKLMNOPQRST")  # 日本標準産業分類 大分類
STATES = (
    "jigyokei_approved",  # the 事業継続力強化計画 is certified (認定) by the state
    "jigyokei_in_sonae",  # a 事業継続力強化計画 is drafted and approved inside sonae (社内承認)
    "security_action_one_star",  # SECURITY ACTION ★ readiness (5か条)
    "security_action_two_star",  # ★★ readiness (diagnosis + published policy)
)
KINDS = ("tax", "loan", "guarantee", "subsidy", "consultation", "expert_dispatch", "certification", "declaration", "service")
FIELD_OPS = {
    "prefecture": ("in", "not_in"),
    "city": ("in", "not_in"),
    "industry": ("in", "not_in"),
    "employees": ("lte", "lt", "gte", "gt"),
}


class FieldCondition(StrictModel):
    field: Literal["prefecture", "city", "industry", "employees"]
    op: Literal["in", "not_in", "lte", "lt", "gte", "gt"]
    values: tuple[str, ...] | None = None
    value: int | None = None
    label: Text | None = None

    @model_validator(mode="after")
    def _operands(self) -> FieldCondition:
        if self.op not in FIELD_OPS[self.field]:
            raise ValueError(f"op {self.op!r} does not apply to {self.field} (use {list(FIELD_OPS[self.field])})")
        if self.field == "employees":
            if self.value is None or self.value < 0 or self.values is not None:
                raise ValueError("employees takes a number `value` of 0 or more, not `values`")
        elif not self.values or self.value is not None:
            raise ValueError(f"{self.field} takes a list `values`")
        if self.field == "industry":
            unknown = [v for v in self.values or () if v not in INDUSTRY_CODES]
            if unknown:
                raise ValueError(f"unknown industry code(s) {unknown}; use A–T")
        return self


class StateCondition(StrictModel):
    state: str
    label: Text | None = None
    step: Text | None = None  # what to do when the state is not (yet) true; without it, "no"

    @field_validator("state")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in STATES:
            raise ValueError(f"unknown state {value!r}; use {list(STATES)}")
        return value


class AskCondition(StrictModel):
    ask: str
    label: Text | None = None
    step: Text | None = None  # when a "no" can still be changed by the company (e.g. 宣言する)


class RefCondition(StrictModel):
    ref: str


class AnyOf(StrictModel):
    any_of: tuple[Condition, ...] = Field(min_length=2)
    label: Text | None = None


class AllOf(StrictModel):
    all_of: tuple[Condition, ...] = Field(min_length=2)
    label: Text | None = None


Condition = Annotated[
    Union[FieldCondition, StateCondition, AskCondition, RefCondition, AnyOf, AllOf],
    Field(union_mode="left_to_right"),
]
AnyOf.model_rebuild()
AllOf.model_rebuild()


class Question(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,59}$")
    text: Text
    help: Text | None = None
    source: Source | None = None


class NamedCondition(StrictModel):
    id: str
    label: Text
    condition: Condition
    source: Source


class DefinitionsFile(StrictModel):
    version: int
    questions: tuple[Question, ...]
    conditions: tuple[NamedCondition, ...]
    city_prefectures: dict[str, str]  # designated cities and the cities entries name → their prefecture
    city_prefectures_source: Source


class Region(StrictModel):
    level: Literal["national", "prefecture", "city"]
    prefecture: str | None = None
    city: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Region:
        if self.level == "national" and (self.prefecture or self.city):
            raise ValueError("a national entry names no prefecture or city")
        if self.level in ("prefecture", "city") and not self.prefecture:
            raise ValueError(f"a {self.level} entry names its prefecture")
        if self.level == "city" and not self.city:
            raise ValueError("a city entry names its city")
        if self.level == "prefecture" and self.city:
            raise ValueError("a prefecture entry names no city")
        return self

    @property
    def key(self) -> str:
        return self.city or self.prefecture or "national"


class Contact(StrictModel):
    name: Text
    phone: str | None = None
    email: str | None = None
    url: str | None = None


class Ground(StrictModel):
    """One of several alternative eligibility grounds (融資対象者1〜8 of a loan)."""

    number: int
    label: Text
    conditions: tuple[Condition, ...] = Field(min_length=1)
    terms: Text | None = None
    documents: tuple[Text, ...] = ()
    sonae_documents: tuple[Literal["jigyokei"], ...] = ()  # documents sonae can produce for this ground


class Bonus(StrictModel):
    """Something extra on top of an entry (the 宣言割 of a loan); it never changes whether the entry fits."""

    id: str
    label: Text
    conditions: tuple[Condition, ...] = Field(min_length=1)
    documents: tuple[Text, ...] = ()


class Entry(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")
    name: Text
    provider: Text
    kind: Literal[KINDS]  # type: ignore[valid-type]
    region: Region
    gives: Text
    details: tuple[Text, ...] = ()  # amounts, rates, terms: each as published, in our own words
    conditions: tuple[Condition, ...] = ()  # all must hold (besides the region)
    grounds: tuple[Ground, ...] = ()  # when present, any one ground is enough
    bonuses: tuple[Bonus, ...] = ()
    prepare: tuple[Text, ...] = ()
    sonae_documents: tuple[Literal["jigyokei", "security_policy"], ...] = ()
    contact: Contact | None = None
    source: Source
    more_sources: tuple[Source, ...] = ()
    deadline: dt.date | None = None
    deadline_meaning: Text | None = None
    review_days: int = Field(default=365, ge=30, le=1100)
    confidence: Literal["official", "secondary"]
    jigyokei_merit: bool = False  # shown in the 事業継続力強化計画 builder's merits panel
    note: Text | None = None

    @model_validator(mode="after")
    def _grounds_numbered(self) -> Entry:
        numbers = [g.number for g in self.grounds]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"ground numbers repeat: {numbers}")
        if self.deadline_meaning and not self.deadline and not self.jigyokei_merit:
            raise ValueError("deadline_meaning without a deadline")
        return self


class EntriesFile(StrictModel):
    version: int
    entries: tuple[Entry, ...]


class SupportCatalog:
    """Every entry, question and named condition, checked against each other."""

    def __init__(self, definitions: DefinitionsFile, entries: list[Entry], prefectures: list[str]):
        self.definitions = definitions
        self.entries = tuple(entries)
        self.by_id = {e.id: e for e in entries}
        self.questions = {q.id: q for q in definitions.questions}
        self.named = {c.id: c for c in definitions.conditions}
        self.prefectures = tuple(prefectures)
        self.city_prefectures = dict(definitions.city_prefectures)

    def get(self, entry_id: str) -> Entry:
        return self.by_id[entry_id]

    def merits(self) -> list[Entry]:
        """The entries that are merits of a certified 事業継続力強化計画 (the builder's panel)."""
        return [e for e in self.entries if e.jigyokei_merit]

    def regions(self) -> list[str]:
        seen: dict[str, None] = {}
        for entry in self.entries:
            seen.setdefault(entry.region.key, None)
        return list(seen)


def _walk(conditions, path: str):
    for index, condition in enumerate(conditions):
        where = f"{path}[{index}]"
        yield where, condition
        if isinstance(condition, AnyOf):
            yield from _walk(condition.any_of, f"{where}.any_of")
        elif isinstance(condition, AllOf):
            yield from _walk(condition.all_of, f"{where}.all_of")


def _check_references(catalog: SupportCatalog, where_file: dict[str, Path]) -> None:
    problems = []
    prefectures = set(catalog.prefectures)
    for city, prefecture in catalog.city_prefectures.items():
        if prefecture not in prefectures:
            problems.append(f"_definitions.yaml: city_prefectures.{city}: unknown prefecture {prefecture!r}")
    groups = [("_definitions.yaml", f"conditions.{c.id}", [c.condition]) for c in catalog.definitions.conditions]
    for entry in catalog.entries:
        name = where_file[entry.id].name
        region = entry.region
        if region.prefecture and region.prefecture not in prefectures:
            problems.append(f"{name}: {entry.id}.region: unknown prefecture {region.prefecture!r}")
        if region.city and catalog.city_prefectures.get(region.city) != region.prefecture:
            problems.append(f"{name}: {entry.id}.region: add {region.city} → {region.prefecture} to city_prefectures")
        groups.append((name, f"{entry.id}.conditions", list(entry.conditions)))
        for ground in entry.grounds:
            groups.append((name, f"{entry.id}.grounds.{ground.number}", list(ground.conditions)))
        for bonus in entry.bonuses:
            groups.append((name, f"{entry.id}.bonuses.{bonus.id}", list(bonus.conditions)))
    for name, path, conditions in groups:
        for where, condition in _walk(conditions, path):
            if isinstance(condition, AskCondition) and condition.ask not in catalog.questions:
                problems.append(f"{name}: {where}: question {condition.ask!r} is not in _definitions.yaml")
            if isinstance(condition, RefCondition) and condition.ref not in catalog.named:
                problems.append(f"{name}: {where}: named condition {condition.ref!r} is not in _definitions.yaml")
            if isinstance(condition, FieldCondition) and condition.field == "prefecture":
                unknown = [p for p in condition.values or () if p not in prefectures]
                if unknown:
                    problems.append(f"{name}: {where}: unknown prefecture(s) {unknown}")
    if problems:
        raise CatalogError("; ".join(problems))


@lru_cache(maxsize=4)
def load_support(directory: Path | None = None) -> SupportCatalog:
    """Load and cross-check the support catalogue (cached; start-up calls it once)."""
    from sonae.engines.textscan.catalog import prefectures as prefecture_list

    folder = directory or SUPPORT_DIR
    definitions = parse_file(folder / "_definitions.yaml", DefinitionsFile)
    entries: list[Entry] = []
    where_file: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        for entry in parse_file(path, EntriesFile).entries:
            if entry.id in where_file:
                raise CatalogError(f"{path}: entry id {entry.id!r} is also in {where_file[entry.id].name}")
            where_file[entry.id] = path
            entries.append(entry)
    if not entries:
        raise CatalogError(f"{folder}: no support entries found")
    catalog = SupportCatalog(definitions, entries, list(prefecture_list().prefectures))
    _check_references(catalog, where_file)
    return catalog
