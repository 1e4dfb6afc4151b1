"""Risk register templates (risk_templates.yaml): the seminar's six gen-AI risks and the main cyber risks."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator, model_validator

from sonae.catalog.base import DATA_DIR, Source, StrictModel, Text, parse_file

RiskCategory = Literal["genai", "cyber", "disaster", "other"]


class RiskTemplate(StrictModel):
    id: str
    category: RiskCategory
    title: Text
    description: Text
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    countermeasures: Text
    source: Source

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
            raise ValueError("id must be lower-case letters, digits and hyphens")
        return value


class RiskTemplateFile(StrictModel):
    version: int
    as_of: dt.date
    templates: list[RiskTemplate]

    @model_validator(mode="after")
    def _unique_ids(self) -> "RiskTemplateFile":
        seen: set[str] = set()
        for template in self.templates:
            if template.id in seen:
                raise ValueError(f"duplicate template id {template.id!r}")
            seen.add(template.id)
        return self


@lru_cache(maxsize=1)
def load_risk_templates() -> RiskTemplateFile:
    return parse_file(DATA_DIR / "risk_templates.yaml", RiskTemplateFile)


def get_risk_template(template_id: str) -> RiskTemplate | None:
    for template in load_risk_templates().templates:
        if template.id == template_id:
            return template
    return None
