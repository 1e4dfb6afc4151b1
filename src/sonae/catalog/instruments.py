"""Diagnosis instruments (診断票) as versioned data files, and their loader.

An instrument is one YAML file under catalog/data/instruments/: a stable id, a version,
an answer scale, optional parts, the items, and result bands. The scoring engine
(sonae.engines.scoring) reads these models and nothing else, so adding an instrument is
a data change. Saved diagnoses record `id` *and* `version`: change a file's questions,
points or bands and you must bump its version so old results keep their meaning.

When you bump a version, move the old file to archive/<id>/<old version>.yaml. Runs answered
against an archived version are shown with that version's items, parts and bands; without the
archived file they fall back to the current version (their submission snapshot still holds the
total and band as they were).

Checks beyond the field types (done in `check_instrument`, reported all at once):
- item ids and item numbers are unique; every item's part exists;
- either every item belongs to a part or the instrument has no parts;
- a part's declared item range and maximum match its items;
- tags used by items are declared (they label the radar chart when there are no parts);
- the scale has unique ids and points, at most one "unknown" option;
- bands cover every possible total from the lowest to the highest, with no gap and no overlap.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from sonae.catalog.base import DATA_DIR, CatalogError, Source, StrictModel, Text, parse_file

INSTRUMENTS_DIR = DATA_DIR / "instruments"

# Stable ids: lower-case words joined by hyphens ("ipa-5min"), safe in URLs and file names.
ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"


class AnswerOption(StrictModel):
    """One choice of the answer scale, e.g. 実施している = 4 points."""

    id: str = Field(pattern=ID_PATTERN)
    label: Text
    points: int
    # True for 「わからない」: it scores its points (IPA: −1) and flags the item "check this".
    unknown: bool = False


class Part(StrictModel):
    """A section of the instrument (IPA: Part1 基本的対策 = No.1–5, max 20)."""

    id: str = Field(pattern=ID_PATTERN)
    title: Text
    # Item numbers covered, inclusive, as [first, last]; checked against the items.
    items: tuple[int, int] | None = None
    # Highest possible subtotal; checked against items × best answer.
    max: int | None = None
    description: Text | None = None


class Item(StrictModel):
    """One question. Advice is our own wording; `source` links to the official material."""

    id: str = Field(pattern=ID_PATTERN)
    number: int = Field(ge=1)
    text: Text
    part: str | None = None
    tags: tuple[str, ...] = ()
    advice: Text
    source: Source


class Band(StrictModel):
    """A result band: totals from `min` to `max` inclusive (None = open end)."""

    id: str = Field(pattern=ID_PATTERN)
    min: int | None = None
    max: int | None = None
    title: Text
    message: Text


class Instrument(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    title: Text
    description: Text | None = None
    source: Source
    scale: tuple[AnswerOption, ...] = Field(min_length=2)
    parts: tuple[Part, ...] = ()
    # Labels for item tags; used for tag subtotals and the radar chart of part-less instruments.
    tags: dict[str, Text] = Field(default_factory=dict)
    items: tuple[Item, ...] = Field(min_length=1)
    bands: tuple[Band, ...] = Field(min_length=1)
    # 定期的に診断する: months until the next diagnosis is due.
    recheck_months: int = Field(default=6, ge=1, le=60)
    # Optional declared maximum total (IPA: 100); checked against the items.
    max_total: int | None = None

    # -- derived values (cheap; the models are frozen, so cache per instance) --

    @functools.cached_property
    def best_points(self) -> int:
        return max(option.points for option in self.scale)

    @functools.cached_property
    def worst_points(self) -> int:
        return min(option.points for option in self.scale)

    @property
    def max_score(self) -> int:
        return self.best_points * len(self.items)

    @property
    def min_score(self) -> int:
        return self.worst_points * len(self.items)

    @functools.cached_property
    def options_by_points(self) -> dict[int, AnswerOption]:
        return {option.points: option for option in self.scale}

    @functools.cached_property
    def options_by_label(self) -> dict[str, AnswerOption]:
        """Option id, Japanese and English label (case-folded) → option."""
        lookup: dict[str, AnswerOption] = {}
        for option in self.scale:
            for key in (option.id, option.label.ja, option.label.en):
                lookup[key.strip().casefold()] = option
        return lookup

    @functools.cached_property
    def items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @functools.cached_property
    def parts_by_id(self) -> dict[str, Part]:
        return {part.id: part for part in self.parts}

    @functools.cached_property
    def members_index(self) -> tuple[dict[str, tuple[Item, ...]], dict[str, tuple[Item, ...]]]:
        by_part = {part.id: tuple(i for i in self.items if i.part == part.id) for part in self.parts}
        by_tag = {tag: tuple(i for i in self.items if tag in i.tags) for tag in self.tags}
        return by_part, by_tag

    def items_in_part(self, part_id: str) -> tuple[Item, ...]:
        return self.members_index[0].get(part_id, ())

    def items_with_tag(self, tag: str) -> tuple[Item, ...]:
        return self.members_index[1].get(tag, ())

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            low = band.min if band.min is not None else total
            high = band.max if band.max is not None else total
            if low <= total <= high:
                return band
        # Unreachable for a validated instrument: bands cover every possible total.
        raise LookupError(f"{self.id}: no band for total {total}")


def check_instrument(instrument: Instrument) -> list[str]:
    """Cross-field checks pydantic cannot express; returns readable problems (empty = fine)."""
    problems: list[str] = []

    ids = Counter(option.id for option in instrument.scale)
    problems += [f"scale: duplicate answer id '{i}'" for i, n in ids.items() if n > 1]
    points = Counter(option.points for option in instrument.scale)
    problems += [
        f"scale: two answers score {p} points (points must identify one answer)"
        for p, n in points.items()
        if n > 1
    ]
    if sum(option.unknown for option in instrument.scale) > 1:
        problems.append("scale: more than one answer is marked unknown")

    part_ids = Counter(part.id for part in instrument.parts)
    problems += [f"part '{p}': duplicate part id" for p, n in part_ids.items() if n > 1]

    seen_ids: set[str] = set()
    seen_numbers: dict[int, str] = {}
    for item in instrument.items:
        if item.id in seen_ids:
            problems.append(f"item '{item.id}': duplicate item id")
        seen_ids.add(item.id)
        if item.number in seen_numbers:
            problems.append(
                f"item '{item.id}': number {item.number} already used by '{seen_numbers[item.number]}'"
            )
        else:
            seen_numbers[item.number] = item.id
        if item.part is not None and item.part not in part_ids:
            problems.append(f"item '{item.id}': unknown part '{item.part}'")
        if instrument.parts and item.part is None:
            problems.append(f"item '{item.id}': no part, but the instrument has parts")
        for tag in item.tags:
            if tag not in instrument.tags:
                problems.append(f"item '{item.id}': tag '{tag}' is not declared under tags")

    for part in instrument.parts:
        members = [item for item in instrument.items if item.part == part.id]
        if not members:
            problems.append(f"part '{part.id}': has no items")
            continue
        if part.items is not None:
            first, last = part.items
            numbers = sorted(item.number for item in members)
            if numbers != list(range(first, last + 1)):
                problems.append(
                    f"part '{part.id}': declares items {first}–{last} but holds items "
                    f"{', '.join(map(str, numbers))}"
                )
        if part.max is not None and part.max != len(members) * instrument.best_points:
            problems.append(
                f"part '{part.id}': declares max {part.max} but its {len(members)} items "
                f"give {len(members) * instrument.best_points}"
            )

    if instrument.max_total is not None and instrument.max_total != instrument.max_score:
        problems.append(
            f"max_total: declares {instrument.max_total} but the items give {instrument.max_score}"
        )

    problems += _check_bands(instrument)
    return problems


def _check_bands(instrument: Instrument) -> list[str]:
    """Bands must tile [min_score, max_score]: every reachable total gets exactly one band."""
    problems: list[str] = []
    low_end, high_end = instrument.min_score, instrument.max_score
    spans = []
    for band in instrument.bands:
        low = band.min if band.min is not None else low_end
        high = band.max if band.max is not None else high_end
        if low > high:
            problems.append(f"band '{band.id}': min {low} is above max {high}")
            continue
        spans.append((low, high, band.id))
    spans.sort()
    expected = low_end
    previous = None
    for low, high, band_id in spans:
        if low > expected:
            problems.append(
                f"band '{band_id}': totals {expected}–{low - 1} fall in no band (gap"
                + (f" after '{previous}')" if previous else " at the bottom)")
            )
        elif low < expected and previous is not None:
            problems.append(f"band '{band_id}': overlaps band '{previous}' at total {low}")
        expected = max(expected, high + 1)
        previous = band_id
    if expected <= high_end:
        problems.append(f"bands: totals {expected}–{high_end} fall in no band (gap at the top)")
    return problems


def load_instrument_file(path: Path) -> Instrument:
    """Parse and check one instrument file; CatalogError names the file, the item and the reason."""
    try:
        instrument = parse_file(path, Instrument)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # Not UTF-8, an absurd integer, or nesting deep enough to exhaust the parser.
        raise CatalogError(f"{path}: cannot read as a UTF-8 YAML file ({type(exc).__name__})") from exc
    problems = check_instrument(instrument)
    if problems:
        raise CatalogError(f"{path}: " + "; ".join(problems))
    return instrument


@dataclass(frozen=True)
class InstrumentRegistry:
    """All instruments loaded from one directory, by id."""

    instruments: dict[str, Instrument]
    paths: dict[str, Path]
    # Superseded versions kept so that old runs keep their meaning: (id, version) → instrument.
    archived: dict[tuple[str, str], Instrument] = field(default_factory=dict)

    def get(self, instrument_id: str, version: str | None = None) -> Instrument:
        """The current instrument, or the archived `version` of it when that version is kept."""
        try:
            current = self.instruments[instrument_id]
        except KeyError:
            known = ", ".join(sorted(self.instruments)) or "(none)"
            raise KeyError(f"unknown instrument '{instrument_id}' (known: {known})") from None
        if version is None or version == current.version:
            return current
        return self.archived.get((instrument_id, version), current)

    def keeps(self, instrument_id: str, version: str) -> bool:
        """True when runs answered with `version` are scored with exactly that version."""
        current = self.instruments.get(instrument_id)
        return current is not None and (version == current.version or (instrument_id, version) in self.archived)

    def versions(self, instrument_id: str) -> list[str]:
        """Every version of an instrument this installation can show: archived ones, then the current."""
        kept = sorted(v for (i, v) in self.archived if i == instrument_id)
        return kept + [self.get(instrument_id).version]

    def __contains__(self, instrument_id: object) -> bool:
        return instrument_id in self.instruments

    def __iter__(self) -> Iterator[Instrument]:
        return iter(sorted(self.instruments.values(), key=lambda i: i.id))

    def __len__(self) -> int:
        return len(self.instruments)

    def ids(self) -> list[str]:
        return sorted(self.instruments)


def load_instruments_from(directory: Path) -> InstrumentRegistry:
    """Load every *.yaml in `directory` (not cached; use for tests and `catalog validate`)."""
    instruments: dict[str, Instrument] = {}
    paths: dict[str, Path] = {}
    if not directory.is_dir():
        raise CatalogError(f"{directory}: instrument directory not found")
    for path in sorted(directory.glob("*.yaml")):
        instrument = load_instrument_file(path)
        if instrument.id in instruments:
            raise CatalogError(
                f"{path}: instrument id '{instrument.id}' is already defined in {paths[instrument.id]}"
            )
        if path.stem != instrument.id:
            raise CatalogError(f"{path}: file name must be the instrument id '{instrument.id}.yaml'")
        instruments[instrument.id] = instrument
        paths[instrument.id] = path
    return InstrumentRegistry(instruments=instruments, paths=paths, archived=_load_archive(directory / "archive", instruments))


def _load_archive(directory: Path, current: dict[str, Instrument]) -> dict[tuple[str, str], Instrument]:
    """archive/<id>/<version>.yaml: superseded versions, checked like current ones."""
    archived: dict[tuple[str, str], Instrument] = {}
    if not directory.is_dir():
        return archived
    for path in sorted(directory.glob("*/*.yaml")):
        instrument = load_instrument_file(path)
        if path.parent.name != instrument.id or path.stem != instrument.version:
            raise CatalogError(f"{path}: an archived instrument lives at archive/<id>/<version>.yaml "
                               f"(this file holds '{instrument.id}' version '{instrument.version}')")
        if instrument.id not in current:
            raise CatalogError(f"{path}: archived version of '{instrument.id}', which has no current file")
        if instrument.version == current[instrument.id].version:
            raise CatalogError(f"{path}: version '{instrument.version}' is also the current version; "
                               "bump the version of the current file")
        archived[(instrument.id, instrument.version)] = instrument
    return archived


@functools.lru_cache(maxsize=1)
def load_instruments() -> InstrumentRegistry:
    """The shipped instruments, loaded and validated once per process."""
    return load_instruments_from(INSTRUMENTS_DIR)


def get_instrument(instrument_id: str, version: str | None = None) -> Instrument:
    """A shipped instrument by id (and, when kept, an archived version); KeyError with the known ids
    if there is none."""
    return load_instruments().get(instrument_id, version)
