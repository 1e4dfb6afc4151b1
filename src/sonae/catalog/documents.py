"""Catalog data for documents: public contacts for incident response, and the merits of a Jigyokei.

contacts.yaml feeds the incident-response procedure and the いざという時カード; the merits panel of the
Jigyokei builder shows the support catalogue's merit entries, whose deadlines `merits_status(today)` checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import field_validator, model_validator

from .base import DATA_DIR, Source, StrictModel, Text, parse_file

SCENARIOS = ("ransomware", "phishing_bec", "voice_phishing", "support_scam")


class Contact(StrictModel):
    id: str
    name: Text
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    prefecture: str | None = None  # None = national
    when: Text
    scenarios: tuple[str, ...]
    source: Source

    @field_validator("scenarios")
    @classmethod
    def _known_scenarios(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [s for s in value if s not in SCENARIOS]
        if unknown:
            raise ValueError(f"unknown scenario(s) {unknown}; use {list(SCENARIOS)}")
        return value

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.phone or self.email or self.url):
            raise ValueError("a contact needs a phone, an e-mail address or a URL")
        return self


class ContactsFile(StrictModel):
    version: int
    contacts: tuple[Contact, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> ContactsFile:
        ids = [c.id for c in self.contacts]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate contact id(s): {duplicates}")
        return self


class Merit(StrictModel):
    id: str
    title: Text
    summary: Text
    deadline: dt.date | None = None
    deadline_meaning: Text | None = None
    confidence: Literal["official", "secondary"]
    source: Source


class MeritsFile(StrictModel):
    version: int
    merits: tuple[Merit, ...]


@lru_cache(maxsize=4)
def load_contacts(path: Path | None = None) -> ContactsFile:
    return parse_file(path or DATA_DIR / "contacts.yaml", ContactsFile)


@lru_cache(maxsize=4)
def load_merits(path: Path | None = None) -> MeritsFile:
    """The merits of a certified plan: the support catalogue's entries marked `jigyokei_merit`.

    They used to be a file of their own (jigyokei_merits.yaml); one copy of each fact now lives in
    catalog/data/support/, and the builder's panel reads it from there. `path` is a support folder.
    """
    from .support import load_support

    return MeritsFile(version=1, merits=tuple(
        Merit(id=entry.id, title=entry.name, summary=entry.gives, deadline=entry.deadline,
              deadline_meaning=entry.deadline_meaning, confidence=entry.confidence, source=entry.source)
        for entry in load_support(path).merits()
    ))


def public_contacts(prefecture: str | None = None, scenario: str | None = None) -> list[Contact]:
    """National contacts plus the given prefecture's, optionally only those for one scenario."""
    return [
        c for c in load_contacts().contacts
        if (c.prefecture is None or c.prefecture == prefecture)
        and (scenario is None or scenario in c.scenarios)
    ]


@dataclass(frozen=True)
class MeritStatus:
    merit: Merit
    deadline_passed: bool
    days_left: int | None  # None when the merit has no fixed deadline
    warning_ja: str = ""
    warning_en: str = ""

    @property
    def warning(self) -> str:
        """The warning in the language of the page being shown."""
        from sonae.i18n import pick

        return pick((self.warning_ja, self.warning_en))


def merits_status(today: dt.date) -> list[MeritStatus]:
    """Every merit with whether its deadline has passed on `today` (and a warning when it has)."""
    statuses = []
    for merit in load_merits().merits:
        if merit.deadline is None:
            statuses.append(MeritStatus(merit, deadline_passed=False, days_left=None))
            continue
        days_left = (merit.deadline - today).days
        passed = days_left < 0
        statuses.append(MeritStatus(
            merit,
            deadline_passed=passed,
            days_left=days_left,
            warning_ja=(
                f"期限 ({merit.deadline.year}年{merit.deadline.month}月{merit.deadline.day}日) を過ぎています。"
                "延長されていないか公式の情報で確認してください。" if passed else ""
            ),
            warning_en=(
                f"The deadline ({merit.deadline.isoformat()}) has passed; check whether it was extended."
                if passed else ""
            ),
        ))
    return statuses
