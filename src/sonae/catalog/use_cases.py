"""The generative-AI use-case catalogue (use_cases.yaml): what staff can use AI for, safely.

Each use case comes from the seminar's tables of general and departmental uses (2025-12-11, chapter
2-3), written in our own words: the department, the expected effect, the risks it touches (the six
risk tags of the 生成AI活用リスク診断, which are also the risk register's templates), the
countermeasure for each of those risks, its source, and one or more prompt templates with
placeholders the user fills in (the filled prompt then goes through the AI input checker).

Checks beyond the field types, reported together so one start-up shows every problem:
- ids are unique (departments, use cases, templates within a use case, placeholders within a template);
- a use case's department exists; its risk tags are the genai-use instrument's tags, each with a
  countermeasure, and every countermeasure is for one of its risks;
- each risk tag has its risk-register template (RISK_TEMPLATES), so a use case can link to it;
- a template's Japanese and English bodies use exactly the placeholders it declares, as {name}, and
  no other braces.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from .base import DATA_DIR, CatalogError, Source, StrictModel, Text, parse_file

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PLACEHOLDER_ID = r"^[a-z][a-z0-9_]{0,39}$"
# The seminar's six risks as tagged by the genai-use instrument, and the risk register template of each.
RISK_TEMPLATES = {
    "hallucination": "genai-hallucination",
    "bias": "genai-bias",
    "copyright": "genai-copyright",
    "leakage": "genai-leak",
    "dependence": "genai-dependence",
    "governance": "genai-governance",
}
# Use-case ids are URL segments next to these pages of sonae.aiuse.
RESERVED_IDS = {"usage"}
# A filled placeholder may be long (meeting notes), but not unbounded; the checker page takes 200,000 characters.
MAX_PLACEHOLDER_CHARS = 20_000


class Department(StrictModel):
    id: str = Field(pattern=SLUG)
    name: Text
    group: Literal["general", "front", "back", "middle"]


class Placeholder(StrictModel):
    """One blank of a template: what to write there, an example, and how much may be written."""

    id: str = Field(pattern=PLACEHOLDER_ID)
    label: Text
    hint: Text
    multiline: bool = False
    max_length: int = Field(default=2000, ge=1, le=MAX_PLACEHOLDER_CHARS)


class PromptTemplate(StrictModel):
    id: str = Field(pattern=SLUG)
    title: Text
    body: Text
    placeholders: tuple[Placeholder, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _placeholders_match(self) -> PromptTemplate:
        declared = [p.id for p in self.placeholders]
        if len(set(declared)) != len(declared):
            raise ValueError(f"template {self.id!r}: placeholder ids repeat")
        for language, body in (("ja", self.body.ja), ("en", self.body.en)):
            used = placeholders_in(body)
            if set(used) != set(declared):
                raise ValueError(
                    f"template {self.id!r} body.{language} uses {sorted(set(used))}, declares {sorted(declared)}")
        return self


class Countermeasure(StrictModel):
    risk: str
    text: Text


class UseCase(StrictModel):
    id: str = Field(pattern=SLUG)
    number: int = Field(ge=1)  # order in the catalogue, as in the seminar's tables
    department: str
    title: Text
    example: Text  # the concrete use (具体的な活用例)
    effects: tuple[Text, ...] = Field(min_length=1)  # 期待される効果
    risks: tuple[str, ...] = Field(min_length=1)
    countermeasures: tuple[Countermeasure, ...] = Field(min_length=1)
    source: Source
    templates: tuple[PromptTemplate, ...] = Field(min_length=1)

    def template(self, template_id: str) -> PromptTemplate | None:
        return next((t for t in self.templates if t.id == template_id), None)

    def countermeasures_for(self, risk: str) -> list[Countermeasure]:
        return [c for c in self.countermeasures if c.risk == risk]


class UseCaseFile(StrictModel):
    version: int
    as_of: dt.date
    departments: tuple[Department, ...] = Field(min_length=1)
    use_cases: tuple[UseCase, ...] = Field(min_length=1)

    def department(self, department_id: str) -> Department | None:
        return next((d for d in self.departments if d.id == department_id), None)

    def get(self, use_case_id: str) -> UseCase | None:
        return next((u for u in self.use_cases if u.id == use_case_id), None)

    def of_department(self, department_id: str) -> list[UseCase]:
        return [u for u in self.use_cases if u.department == department_id]


_FORMATTER = string.Formatter()


def placeholders_in(body: str) -> list[str]:
    """The {name} fields of a template body, in order; ValueError on a stray or malformed brace."""
    names: list[str] = []
    try:
        parsed = list(_FORMATTER.parse(body))
    except ValueError as exc:
        raise ValueError(f"malformed braces: {exc}") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion or not re.fullmatch(PLACEHOLDER_ID, name):
            raise ValueError(f"placeholder {{{name}}} must be a plain {{name}}")
        names.append(name)
    return names


def check_use_cases(catalogue: UseCaseFile, *, risk_tags: set[str], risk_template_ids: set[str]) -> list[str]:
    """Every cross-reference problem of the catalogue (empty when it is consistent)."""
    problems: list[str] = []
    seen_departments: set[str] = set()
    for department in catalogue.departments:
        if department.id in seen_departments:
            problems.append(f"departments: duplicate id {department.id!r}")
        seen_departments.add(department.id)
    seen: set[str] = set()
    for use_case in catalogue.use_cases:
        where = f"use_cases.{use_case.id}"
        if use_case.id in seen:
            problems.append(f"{where}: duplicate id")
        if use_case.id in RESERVED_IDS:
            problems.append(f"{where}: the id is reserved for a page ({sorted(RESERVED_IDS)})")
        seen.add(use_case.id)
        if use_case.department not in seen_departments:
            problems.append(f"{where}.department: unknown department {use_case.department!r}")
        for risk in use_case.risks:
            if risk not in risk_tags:
                problems.append(f"{where}.risks: {risk!r} is not a tag of the genai-use instrument ({sorted(risk_tags)})")
            if not use_case.countermeasures_for(risk):
                problems.append(f"{where}.countermeasures: no countermeasure for the risk {risk!r}")
        for countermeasure in use_case.countermeasures:
            if countermeasure.risk not in use_case.risks:
                problems.append(f"{where}.countermeasures: {countermeasure.risk!r} is not one of the use case's risks")
        template_ids = [t.id for t in use_case.templates]
        if len(set(template_ids)) != len(template_ids):
            problems.append(f"{where}.templates: duplicate template id")
    for tag in sorted(risk_tags):
        template = RISK_TEMPLATES.get(tag)
        if template is None or template not in risk_template_ids:
            problems.append(f"risk tag {tag!r} has no risk register template (RISK_TEMPLATES, risk_templates.yaml)")
    return problems


@lru_cache(maxsize=4)
def load_use_cases(path: Path | None = None) -> UseCaseFile:
    from .instruments import get_instrument
    from .risk_templates import load_risk_templates

    path = path or DATA_DIR / "use_cases.yaml"
    catalogue = parse_file(path, UseCaseFile)
    instrument = get_instrument("genai-use")
    problems = check_use_cases(
        catalogue,
        risk_tags=set(instrument.tags),
        risk_template_ids={t.id for t in load_risk_templates().templates},
    )
    if problems:
        raise CatalogError(f"{path}: " + "; ".join(problems))
    return catalogue
