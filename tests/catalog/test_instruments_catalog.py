"""The shipped instruments load, match the issue, and broken files fail with file, item and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sonae.catalog.base import CatalogError
from sonae.catalog.instruments import (
    INSTRUMENTS_DIR,
    get_instrument,
    load_instrument_file,
    load_instruments,
    load_instruments_from,
)
from sonae.catalog.loader import CATALOG_LOADERS, load_catalog

IPA_FILE = INSTRUMENTS_DIR / "ipa-5min.yaml"


def test_all_four_instruments_ship():
    assert load_instruments().ids() == ["genai-use", "ipa-5min", "ransomware-ready", "security-action-5"]


def test_ipa_5min_structure_matches_ipa():
    ipa = get_instrument("ipa-5min")
    assert len(ipa.items) == 25
    assert [o.points for o in ipa.scale] == [4, 2, 0, -1]
    assert [o.label.ja for o in ipa.scale] == ["実施している", "一部実施している", "実施していない", "わからない"]
    assert [o.unknown for o in ipa.scale] == [False, False, False, True]
    assert ipa.max_score == 100 and ipa.min_score == -25
    parts = {p.id: (p.items, p.max) for p in ipa.parts}
    assert parts == {"part1": ((1, 5), 20), "part2": ((6, 18), 52), "part3": ((19, 25), 28)}
    assert [(b.min, b.max) for b in ipa.bands] == [(100, 100), (70, 99), (50, 69), (None, 49)]
    assert ipa.recheck_months == 6


def test_ipa_items_use_the_corrected_wording():
    # The seminar's OCR copy has 施設保管 / 鍵管理対策 / 復元できる / a doubled No.20; the reference corrects them.
    ipa = get_instrument("ipa-5min")
    text = {item.number: item.text.ja for item in ipa.items}
    assert "施錠保管" in text[16]
    assert "施錠忘れ対策" in text[17]
    assert "復元できないように" in text[18]
    assert "守秘義務" in text[19]
    assert text[20] == "従業員にセキュリティに関する教育や注意喚起を行っていますか？"
    assert text[10] == "インターネットを介したウイルス感染やSNSへの書き込みなどのトラブルへの対策をしていますか？"
    assert len(set(text.values())) == 25


def test_every_item_has_advice_and_an_official_source():
    for instrument in load_instruments():
        for item in instrument.items:
            assert item.advice.ja and item.advice.en
            assert str(item.source.url).startswith("https://")
            assert item.source.as_of


def test_security_action_speaks_of_declaration_never_certification():
    raw = (INSTRUMENTS_DIR / "security-action-5.yaml").read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("#"))
    assert "宣言" in body
    assert "認定" not in body and "取得" not in body
    instrument = get_instrument("security-action-5")
    assert len(instrument.items) == 5
    assert [i.text.ja for i in instrument.items][0] == "OSやソフトウェアは常に最新の状態にしよう！"


def test_genai_use_covers_the_six_risks_without_parts():
    genai = get_instrument("genai-use")
    assert not genai.parts
    assert [t.ja for t in genai.tags.values()] == [
        "ハルシネーション", "バイアス", "著作権侵害", "情報漏洩", "依存", "運用不全",
    ]
    for tag in genai.tags:
        assert genai.items_with_tag(tag), tag
    joined = " ".join(i.text.ja for i in genai.items)
    for measure in ("オプトアウト", "入力してはいけない情報", "CAIO", "商用利用", "最終確認", "モニタリング"):
        assert measure in joined


def test_ransomware_ready_covers_the_police_measures():
    joined = " ".join(i.text.ja for i in get_instrument("ransomware-ready").items)
    for measure in ("VPN", "リモートデスクトップ", "多要素認証", "オフライン", "復元", "ログ", "EDR",
                    "BCP", "警察", "サポート詐欺"):
        assert measure in joined


def test_load_instruments_is_cached():
    assert load_instruments() is load_instruments()


def test_unknown_instrument_names_the_known_ones():
    with pytest.raises(KeyError, match="ipa-5min"):
        get_instrument("nope")


def test_load_catalog_loads_instruments_and_skips_missing_areas():
    loaded = load_catalog()
    assert "sonae.catalog.instruments.load_instruments" in loaded
    assert [m for m, _ in CATALOG_LOADERS][0] == "sonae.catalog.instruments"


# -- broken files -------------------------------------------------------------------------


def _ipa_data() -> dict:
    return yaml.safe_load(IPA_FILE.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict, name: str = "ipa-5min.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _error(tmp_path: Path, data: dict) -> str:
    path = _write(tmp_path, data)
    with pytest.raises(CatalogError) as caught:
        load_instrument_file(path)
    message = str(caught.value)
    assert str(path) in message  # the file is always named
    return message


def test_duplicate_item_id_names_file_and_item(tmp_path):
    data = _ipa_data()
    data["items"][6]["id"] = "q03"
    message = _error(tmp_path, data)
    assert "item 'q03'" in message and "duplicate item id" in message


def test_duplicate_item_number(tmp_path):
    data = _ipa_data()
    data["items"][1]["number"] = 1
    assert "number 1 already used by 'q01'" in _error(tmp_path, data)


def test_item_pointing_at_unknown_part(tmp_path):
    data = _ipa_data()
    data["items"][4]["part"] = "part9"
    message = _error(tmp_path, data)
    assert "item 'q05'" in message and "unknown part 'part9'" in message


def test_item_without_part_in_an_instrument_with_parts(tmp_path):
    data = _ipa_data()
    del data["items"][0]["part"]
    assert "item 'q01': no part" in _error(tmp_path, data)


def test_part_range_and_max_must_match_items(tmp_path):
    data = _ipa_data()
    data["parts"][0]["items"] = [1, 6]
    data["parts"][1]["max"] = 50
    message = _error(tmp_path, data)
    assert "part 'part1': declares items 1–6" in message
    assert "part 'part2': declares max 50 but its 13 items give 52" in message


def test_undeclared_tag(tmp_path):
    data = _ipa_data()
    data["items"][2]["tags"] = ["passwords"]
    assert "item 'q03': tag 'passwords' is not declared" in _error(tmp_path, data)


def test_band_gap(tmp_path):
    data = _ipa_data()
    data["bands"][1]["min"] = 71  # 70 now falls in no band
    message = _error(tmp_path, data)
    assert "totals 70–70 fall in no band" in message


def test_band_overlap(tmp_path):
    data = _ipa_data()
    data["bands"][2]["max"] = 75
    message = _error(tmp_path, data)
    assert "overlaps" in message and "band 'mostly'" in message


def test_band_gap_at_top_and_bottom(tmp_path):
    data = _ipa_data()
    data["bands"][0]["min"] = 99  # overlap with 70-99 is reported too; remove the top band instead
    data["bands"] = data["bands"][1:]
    assert "totals 100–100 fall in no band (gap at the top)" in _error(tmp_path, data)
    data = _ipa_data()
    data["bands"][3]["min"] = 0  # −25..−1 uncovered: わからない can give negative totals
    assert "totals -25–-1 fall in no band (gap at the bottom)" in _error(tmp_path, data)


def test_band_with_min_above_max(tmp_path):
    data = _ipa_data()
    data["bands"][1].update({"min": 99, "max": 70})
    assert "band 'mostly': min 99 is above max 70" in _error(tmp_path, data)


def test_scale_problems(tmp_path):
    data = _ipa_data()
    data["scale"][1]["points"] = 4
    data["scale"][2]["unknown"] = True
    message = _error(tmp_path, data)
    assert "two answers score 4 points" in message
    assert "more than one answer is marked unknown" in message


def test_max_total_must_match(tmp_path):
    data = _ipa_data()
    data["max_total"] = 99
    assert "max_total: declares 99 but the items give 100" in _error(tmp_path, data)


def test_unknown_key_and_missing_field_name_the_place(tmp_path):
    data = _ipa_data()
    data["items"][3]["advise"] = {"ja": "x", "en": "x"}
    del data["items"][3]["advice"]
    message = _error(tmp_path, data)
    assert "items.3.advice" in message and "items.3.advise" in message


def test_not_yaml_not_utf8_and_empty(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_instrument_file(bad)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage\x81")
    with pytest.raises(CatalogError, match="binary.yaml"):
        load_instrument_file(binary)
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CatalogError, match="empty.yaml"):
        load_instrument_file(empty)


def test_directory_load_rejects_wrong_file_name_and_duplicate_ids(tmp_path):
    _write(tmp_path, _ipa_data(), name="other-name.yaml")
    with pytest.raises(CatalogError, match="file name must be the instrument id"):
        load_instruments_from(tmp_path)


def test_directory_load_of_shipped_data_equals_cached_registry():
    assert load_instruments_from(INSTRUMENTS_DIR).ids() == load_instruments().ids()
