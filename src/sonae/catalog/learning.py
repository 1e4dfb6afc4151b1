"""Learning catalog (catalog/data/learning/): trainings and their topics, the quiz's building blocks, the loop's intervals.

- `trainings.yaml`: the training catalogue (IPA's 華麗なる情報セキュリティ対策 and public material linked out)
  and the topic vocabulary that joins trainings to diagnosis item tags and risk templates.
- `quiz.yaml`: scenarios, wordings, link and sender shapes and the seminar's 勘所 for the FACT or FAKE quiz.
- `loop.yaml`: how often training, the quiz, the review of rules and a talk with the advisor come round.

Each loader validates its file once and caches it; cross-references (a topic's instrument tags, a
scenario's brands, a training's series) are checked too, so a typo fails start-up with the file and entry.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from functools import lru_cache
from typing import Literal

from pydantic import Field, HttpUrl, field_validator, model_validator

from sonae.catalog.base import DATA_DIR, CatalogError, Source, StrictModel, Text, parse_file

LEARNING_DIR = DATA_DIR / "learning"
_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


# --- trainings -----------------------------------------------------------------------------------


class Topic(StrictModel):
    title: Text
    # Tags of diagnosis items (any instrument) and ids of risk templates this topic is about.
    instrument_tags: tuple[str, ...] = ()
    risk_templates: tuple[str, ...] = ()


class Series(StrictModel):
    id: str = Field(pattern=_SLUG)
    title: Text
    provider: Text
    url: HttpUrl | None = None
    source: Source


class CheckQuestion(StrictModel):
    """A short question a member answers when marking a training done (our own wording)."""

    question: Text
    choices: tuple[Text, ...] = Field(min_length=2, max_length=5)
    answer: int = Field(ge=0)

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> CheckQuestion:
        if self.answer >= len(self.choices):
            raise ValueError(f"answer {self.answer} is not one of the {len(self.choices)} choices")
        return self


class Training(StrictModel):
    id: str = Field(pattern=_SLUG)
    series: str | None = None
    number: int | None = Field(default=None, ge=1)
    kind: Literal["video", "article", "document"]
    title: Text
    # Length as published (seconds); None when the source does not say.
    duration_seconds: int | None = Field(default=None, ge=1, le=36000)
    # Where to watch or read it; None when no source gives the address (never guessed).
    url: HttpUrl | None = None
    topics: tuple[str, ...] = Field(min_length=1)
    summary: Text
    check: CheckQuestion | None = None
    source: Source


class TrainingCatalog(StrictModel):
    version: int
    as_of: dt.date
    topics: dict[str, Topic]
    series: tuple[Series, ...]
    trainings: tuple[Training, ...]

    @field_validator("topics")
    @classmethod
    def _topic_ids(cls, value: dict[str, Topic]) -> dict[str, Topic]:
        for key in value:
            if not re.match(_SLUG, key):
                raise ValueError(f"topic id {key!r} must be lower-case words joined by hyphens")
        return value

    @model_validator(mode="after")
    def _references(self) -> TrainingCatalog:
        series_ids = [s.id for s in self.series]
        if len(set(series_ids)) != len(series_ids):
            raise ValueError("duplicate series id")
        seen: set[str] = set()
        for training in self.trainings:
            if training.id in seen:
                raise ValueError(f"duplicate training id {training.id!r}")
            seen.add(training.id)
            if training.series is not None and training.series not in series_ids:
                raise ValueError(f"training {training.id!r}: unknown series {training.series!r}")
            unknown = set(training.topics) - set(self.topics)
            if unknown:
                raise ValueError(f"training {training.id!r}: unknown topics {sorted(unknown)}")
        return self

    def get(self, training_id: str) -> Training | None:
        return self.by_id.get(training_id)

    @property
    def by_id(self) -> dict[str, Training]:
        return {t.id: t for t in self.trainings}

    def series_of(self, training: Training) -> Series | None:
        return next((s for s in self.series if s.id == training.series), None)

    def topics_for_tags(self, tags: set[str] | frozenset[str]) -> set[str]:
        """Topics whose instrument tags meet `tags` (the tags of a weak diagnosis item)."""
        return {key for key, topic in self.topics.items() if set(topic.instrument_tags) & tags}

    def topics_for_risk(self, template_id: str) -> set[str]:
        return {key for key, topic in self.topics.items() if template_id in topic.risk_templates}

    def for_topics(self, topics: set[str]) -> list[Training]:
        """Catalogue trainings about any of `topics`, the most focused (fewest topics) first."""
        found = [t for t in self.trainings if set(t.topics) & topics]
        return sorted(found, key=lambda t: (len(t.topics), t.series or "", t.number or 99, t.id))


@lru_cache(maxsize=1)
def load_trainings() -> TrainingCatalog:
    path = LEARNING_DIR / "trainings.yaml"
    catalog = parse_file(path, TrainingCatalog)
    _check_topic_links(catalog, path)
    return catalog


def _check_topic_links(catalog: TrainingCatalog, path) -> None:
    """Topics must name tags some instrument uses and risk templates that exist."""
    from sonae.catalog.instruments import load_instruments
    from sonae.catalog.risk_templates import load_risk_templates

    tags: set[str] = set()
    for instrument in load_instruments():
        tags.update(instrument.tags)
        for item in instrument.items:
            tags.update(item.tags)
    templates = {t.id for t in load_risk_templates().templates}
    problems = []
    for key, topic in catalog.topics.items():
        if set(topic.instrument_tags) - tags:
            problems.append(f"topics.{key}: unknown instrument tags {sorted(set(topic.instrument_tags) - tags)}")
        if set(topic.risk_templates) - templates:
            problems.append(f"topics.{key}: unknown risk templates {sorted(set(topic.risk_templates) - templates)}")
    if problems:
        raise CatalogError(f"{path}: " + "; ".join(problems))


# --- quiz ------------------------------------------------------------------------------------------

Theme = Literal["delivery", "card", "bank", "securities", "ec", "carrier", "unpaid", "support-scam", "bec", "internal"]
SenderShape = Literal[
    "mobile", "brand", "mobile-or-brand",  # SMS
    "fake-domain", "official", "fake-or-spoofed", "colleague", "partner", "partner-lookalike",  # mail (colleague: both)
]
_SMS_SENDERS = {"mobile", "brand", "mobile-or-brand", "colleague"}
_MAIL_SENDERS = {"fake-domain", "official", "fake-or-spoofed", "colleague", "partner", "partner-lookalike"}
# What a wording may contain (see the comment at the top of quiz.yaml).
PLACEHOLDERS = {
    "brand", "url", "official_url", "month", "day", "hour", "digits4", "digits6", "order", "amount", "phone",
    "tollfree", "colleague", "partner", "company",
}
HOST_PLACEHOLDERS = {"token", "official", "rand", "word", "tld", "digits6"}


def placeholders_in(template: str) -> set[str]:
    return {field for _text, field, _spec, _conv in string.Formatter().parse(template) if field}


class Tip(StrictModel):
    id: str = Field(pattern=_SLUG)
    text: Text
    source: Source


class Company(StrictModel):
    name: str
    domain: str


class Partner(Company):
    lookalike: str


class Scenario(StrictModel):
    id: str = Field(pattern=_SLUG)
    theme: Theme
    channel: Literal["sms", "mail"]
    answer: Literal["fake", "real"]
    topic: str
    # brand id (brands.yaml) -> how the message names it
    brands: dict[str, str]
    link: Literal["fake", "official", "none"]
    sender: SenderShape
    html: Literal["never", "sometimes"] = "never"
    subjects: tuple[str, ...] = ()  # any subject goes with any text: keep each scenario to one topic
    texts: tuple[str, ...] = Field(min_length=1)
    tips: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        allowed = _SMS_SENDERS if self.channel == "sms" else _MAIL_SENDERS
        if self.sender not in allowed:
            raise ValueError(f"sender {self.sender!r} does not fit channel {self.channel!r}")
        if self.channel == "mail" and not self.subjects:
            raise ValueError("a mail scenario needs subjects")
        if self.channel == "sms" and (self.subjects or self.html != "never"):
            raise ValueError("an SMS has no subject and no HTML")
        if self.link != "none" and not self.brands:
            raise ValueError("a scenario with links needs brands (links are built from them)")
        if self.sender in ("brand", "official") and not self.brands:
            raise ValueError(f"sender {self.sender!r} needs brands")
        for text in self.texts + self.subjects:
            used = placeholders_in(text)
            if used - PLACEHOLDERS:
                raise ValueError(f"unknown placeholders {sorted(used - PLACEHOLDERS)} in {text[:40]!r}")
        for text in self.texts:
            has_url = bool(placeholders_in(text) & {"url", "official_url"})
            # A fake leads somewhere; a genuine message may or may not carry its official link.
            if (self.link == "none" and has_url) or (self.link == "fake" and not has_url):
                raise ValueError(f"link {self.link!r} but wording {'has' if has_url else 'has no'} {{url}}: {text[:40]!r}")
        return self


class QuizCatalog(StrictModel):
    version: int
    as_of: dt.date
    source: Source
    themes: dict[Theme, Text]
    tips: tuple[Tip, ...]
    fake_hosts: tuple[str, ...] = Field(min_length=1)
    fake_paths: tuple[str, ...] = Field(min_length=1)
    shorteners: tuple[str, ...] = ()
    words: tuple[str, ...] = Field(min_length=1)
    tlds: tuple[str, ...] = Field(min_length=1)
    companies: tuple[Company, ...] = Field(min_length=1)
    partners: tuple[Partner, ...] = Field(min_length=1)
    colleagues: tuple[str, ...] = Field(min_length=1)
    scenarios: tuple[Scenario, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _references(self) -> QuizCatalog:
        tip_ids = {t.id for t in self.tips}
        ids: set[str] = set()
        for scenario in self.scenarios:
            if scenario.id in ids:
                raise ValueError(f"duplicate scenario id {scenario.id!r}")
            ids.add(scenario.id)
            if set(scenario.tips) - tip_ids:
                raise ValueError(f"scenario {scenario.id!r}: unknown tips {sorted(set(scenario.tips) - tip_ids)}")
            if scenario.theme not in self.themes:
                raise ValueError(f"scenario {scenario.id!r}: theme {scenario.theme!r} has no label")
        for shape in self.fake_hosts + self.fake_paths:
            if placeholders_in(shape) - HOST_PLACEHOLDERS:
                raise ValueError(f"unknown placeholders in link shape {shape!r}")
        for channel in ("sms", "mail"):
            answers = {s.answer for s in self.scenarios if s.channel == channel}
            if answers != {"fake", "real"}:
                raise ValueError(f"{channel}: the quiz needs both fake and real scenarios")
        return self

    def tip(self, tip_id: str) -> Tip:
        return next(t for t in self.tips if t.id == tip_id)


@lru_cache(maxsize=1)
def load_quiz() -> QuizCatalog:
    path = LEARNING_DIR / "quiz.yaml"
    catalog = parse_file(path, QuizCatalog)
    from sonae.catalog.brands import load_brands

    brands = load_brands()
    topics = load_trainings().topics
    problems = []
    for scenario in catalog.scenarios:
        unknown = [b for b in scenario.brands if brands.by_id(b) is None]
        if unknown:
            problems.append(f"scenarios.{scenario.id}: unknown brands {unknown}")
        if scenario.topic not in topics:
            problems.append(f"scenarios.{scenario.id}: unknown topic {scenario.topic!r}")
    if problems:
        raise CatalogError(f"{path}: " + "; ".join(problems))
    return catalog


# --- the loop's intervals ------------------------------------------------------------------------------


class LoopArea(StrictModel):
    months: int = Field(ge=1, le=60)
    text: Text
    source: Source


class LoopCatalog(StrictModel):
    version: int
    as_of: dt.date
    areas: dict[Literal["training", "quiz", "rule_review", "advisor"], LoopArea]

    @model_validator(mode="after")
    def _all_areas(self) -> LoopCatalog:
        missing = {"training", "quiz", "rule_review", "advisor"} - set(self.areas)
        if missing:
            raise ValueError(f"missing areas {sorted(missing)}")
        return self


@lru_cache(maxsize=1)
def load_loop() -> LoopCatalog:
    return parse_file(LEARNING_DIR / "loop.yaml", LoopCatalog)
