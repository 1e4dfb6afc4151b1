"""The use-case catalogue: the shipped file loads, and each kind of mistake in a file stops start-up with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sonae.catalog.base import DATA_DIR, CatalogError
from sonae.catalog.instruments import get_instrument
from sonae.catalog.loader import load_catalog
from sonae.catalog.risk_templates import get_risk_template
from sonae.catalog.use_cases import RISK_TEMPLATES, load_use_cases, placeholders_in

SHIPPED = DATA_DIR / "use_cases.yaml"


def test_the_shipped_catalogue_covers_the_seminars_tables():
    catalogue = load_use_cases()
    assert len([u for u in catalogue.use_cases if u.department == "all"]) == 10  # 汎用業務 ①〜⑩
    assert len(catalogue.use_cases) >= 40  # and the departmental table
    assert {d.group for d in catalogue.departments} == {"general", "front", "back", "middle"}
    assert [u.number for u in catalogue.use_cases] == sorted(u.number for u in catalogue.use_cases)
    tags = set(get_instrument("genai-use").tags)
    for use_case in catalogue.use_cases:
        assert set(use_case.risks) <= tags
        assert use_case.templates and use_case.source.as_of
        for template in use_case.templates:
            assert placeholders_in(template.body.ja) and template.placeholders
    assert "sonae.catalog.use_cases.load_use_cases" in load_catalog()


def test_every_risk_tag_has_its_register_template():
    for tag, template_id in RISK_TEMPLATES.items():
        assert get_risk_template(template_id) is not None, tag


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "use_cases.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _first(data):
    return data["use_cases"][0]


@pytest.mark.parametrize("change,reason", [
    (lambda d: _first(d).update(risks=["leakage", "magic"]), "'magic' is not a tag of the genai-use instrument"),
    (lambda d: _first(d).update(department="nowhere"), "unknown department 'nowhere'"),
    (lambda d: _first(d).update(countermeasures=[_first(d)["countermeasures"][0]]), "no countermeasure for the risk"),
    (lambda d: _first(d)["countermeasures"].append({"risk": "bias", "text": {"ja": "x", "en": "x"}}), "'bias' is not one of the use case's risks"),
    (lambda d: _first(d)["templates"][0]["body"].update(ja="{notes} と {other}"), "uses ['notes', 'other']"),
    (lambda d: _first(d)["templates"][0]["body"].update(en="notes {notes"), "malformed braces"),
    (lambda d: _first(d)["templates"][0]["body"].update(en="{notes!r}"), "plain {name}"),
    (lambda d: d["use_cases"].append(dict(_first(d))), "duplicate id"),
    (lambda d: _first(d).update(extra_field=1), "Extra inputs are not permitted"),
    (lambda d: _first(d)["source"].update(url="not a url"), "source.url"),
    (lambda d: _first(d)["templates"][0]["placeholders"][0].update(max_length=10_000_000), "max_length"),
])
def test_a_broken_file_names_the_file_and_the_reason(tmp_path, change, reason):
    path = _broken(tmp_path, change)
    with pytest.raises(CatalogError) as caught:
        load_use_cases(path)
    assert str(path) in str(caught.value)
    assert reason in str(caught.value)
