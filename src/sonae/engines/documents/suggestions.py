"""Suggested text for the builders, better when diagnoses exist, useful without them.

`diagnosis_answers` maps an instrument id to {item id: points}. An answer is weak when it scores below
4 points — IPA's 5-minute diagnosis gives 4 / 2 / 0 / −1 for 実施している / 一部 / していない /
わからない (shared/reference/ipa-self-diagnosis-and-security-action.md §1.3); our other instruments use
the same scale. Item ids of `ipa-5min` are matched by their number (11, "11", "q11", "ipa-5min-11");
items of `ransomware-ready` and `genai-use` by their topic tags in the instrument catalog (backup, logs,
contacts, …), falling back to topic words in the item id, so the suggestions keep working if those
instruments renumber their items.

Each suggestion targets a field path; the builder shows it and the user accepts (inserts) or edits it.
Nothing is written into a document here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ...catalog.base import CatalogError
from .fields import get_path

WEAK_BELOW = 4

_TRAILING_NUMBER = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class Suggestion:
    id: str
    path: str  # where it goes; "goals.hazards[+]" appends a table row
    value: Any  # text for text fields, a row dict for "[+]" paths, a list for months
    reason_ja: str
    reason_en: str
    source: str = "baseline"  # "baseline", or "instrument:item" for a weak answer
    mode: str = "append"  # "append" to existing text, or "set" an empty field
    tags: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "value": self.value,
            "reason_ja": self.reason_ja,
            "reason_en": self.reason_en,
            "source": self.source,
            "mode": self.mode,
        }


def _weak_items(answers: dict[str, dict[str, Any]], instrument: str) -> dict[str, Any]:
    items = answers.get(instrument) if isinstance(answers, dict) else None
    if not isinstance(items, dict):
        return {}
    return {
        str(item): points
        for item, points in items.items()
        if isinstance(points, int | float) and not isinstance(points, bool) and points < WEAK_BELOW
    }


def _ipa_weak_numbers(answers: dict[str, dict[str, Any]]) -> dict[int, str]:
    """{item number: original item id} for weak ipa-5min answers."""
    out: dict[int, str] = {}
    for item in _weak_items(answers, "ipa-5min"):
        match = _TRAILING_NUMBER.search(item)
        if match:
            out[int(match.group(1))] = item
    return out


@lru_cache(maxsize=8)
def _catalog_tags(instrument: str) -> dict[str, tuple[str, ...]]:
    """{item id: tags} of a shipped instrument; empty when the catalog does not have it."""
    try:
        from ...catalog.instruments import get_instrument

        return {item.id: tuple(item.tags) for item in get_instrument(instrument).items}
    except (KeyError, ImportError, CatalogError):
        return {}


def _topic_hits(answers: dict[str, dict[str, Any]], instrument: str, words: tuple[str, ...]) -> list[str]:
    """Weak items whose catalog tags (or, failing that, whose id) mention one of `words`."""
    tags = _catalog_tags(instrument)
    hits = []
    for item in _weak_items(answers, instrument):
        topics = tags.get(item) or (item.lower(),)
        if any(w in topic for topic in topics for w in words):
            hits.append(item)
    return hits


# ---------------------------------------------------------------------------------------------------
# 事業継続力強化計画: the cyber-attack scenario (fact sheet jigyokei-and-cyber-bcp.md §1.5 and §4).

CYBER_HAZARD_ROW = {
    "hazard": "cyber",
    "assumption": "ランサムウェアによりサーバとパソコンのデータが暗号化され、同時に情報が盗まれて公開すると脅される"
                  "(二重恐喝)。侵入口はVPN機器やリモートデスクトップが多い。",
    "source": "警察庁「令和6年におけるサイバー空間をめぐる脅威の情勢等について」、神奈川県警察の注意喚起",
    "impact_people": "IT担当者と経営者が調査・復旧に張り付き、通常業務に人を回せなくなる。",
    "impact_facilities": "業務システムや生産設備を制御するパソコンが止まり、受注・生産・出荷ができなくなる。",
    "impact_funds": "調査・復旧に多額の費用 (1,000万円以上の例も多い) がかかり、停止中は売上が入らない。",
    "impact_information": "データが暗号化されて使えなくなり、顧客情報が漏えいすれば個人情報保護委員会への報告が必要になる。",
    "impact_other": "取引先への納期遅れや、取引先にまで被害が広がるおそれがある。",
}

_RANSOMWARE_FIRST_RESPONSE = (
    "サイバー攻撃の場合は、感染が疑われる機器をネットワークから切り離し (電源は切らない)、画面とログを保全したうえで、"
    "IT保守業者・警察・IPAに連絡し、取引先に第一報を入れる。"
)
_CYBER_TEAM = "サイバー攻撃の場合も、代表取締役を責任者とする対策チームを立ち上げ、IT保守業者など外部の専門家を招集する。"
_CONTACT_LIST = "サイバー攻撃の対応責任者を決め、IT保守業者・保険会社・警察・IPAの連絡先一覧を作って全員に配る。"
_OFFLINE_BACKUP = (
    "重要データをネットワークから切り離した媒体にも世代管理してバックアップし (3-2-1の考え方)、"
    "半年に1回以上、実際に復元できるかテストする。"
)
_LOGS = "VPN機器・サーバ・パソコンのログを、攻撃者に消されないよう別の場所に一定期間保存する。"
_PATCH_MFA = "VPN機器などのソフトウェアを最新に保ち、リモート接続には多要素認証を設定する。"
_EDR = "UTMやEDRによる監視 (サイバーセキュリティお助け隊サービスなど) を導入する。"
_CYBER_INSURANCE = "サイバー保険に加入し、調査・復旧費用と賠償に備える。"
_TABLETOP = "年1回、ランサムウェア感染を想定した机上演習を行い、初動対応手順と連絡先を確かめる。"


def _jigyokei(answers: dict[str, dict[str, Any]], document: dict[str, Any] | None) -> list[Suggestion]:
    out: list[Suggestion] = []
    ipa = _ipa_weak_numbers(answers)

    def weak_reason(label_ja: str, label_en: str) -> tuple[str, str]:
        return (f"診断で「{label_ja}」が弱いと出ています。", f"Your diagnosis shows a weakness in {label_en}.")

    # Diagnosis-driven suggestions first: they are what this organisation most needs.
    if 11 in ipa:
        ja, en = weak_reason("バックアップ (5分診断 No.11)", "backups (IPA 5-minute diagnosis item 11)")
        out.append(Suggestion("ipa11-backup", "measures.table.D.future", _OFFLINE_BACKUP, ja, en,
                              source=f"ipa-5min:{ipa[11]}"))
    if 24 in ipa:
        ja, en = weak_reason("緊急時の体制・手順 (5分診断 No.24)", "incident readiness (IPA item 24)")
        out.append(Suggestion("ipa24-contacts", "measures.table.A.future", _CONTACT_LIST, ja, en,
                              source=f"ipa-5min:{ipa[24]}"))
        out.append(Suggestion("ipa24-first-response", "initial_response.steps.damage_assessment.content",
                              _RANSOMWARE_FIRST_RESPONSE, ja, en, source=f"ipa-5min:{ipa[24]}"))
    if 1 in ipa:
        ja, en = weak_reason("OS・ソフトウェアの更新 (5分診断 No.1)", "software updates (IPA item 1)")
        out.append(Suggestion("ipa1-patch", "measures.table.D.future", _PATCH_MFA, ja, en, source=f"ipa-5min:{ipa[1]}"))
    if 20 in ipa:
        ja, en = weak_reason("従業員への教育 (5分診断 No.20)", "staff education (IPA item 20)")
        out.append(Suggestion("ipa20-training", "effectiveness.training", _TABLETOP, ja, en, source=f"ipa-5min:{ipa[20]}"))

    # Words match the tags of `ransomware-ready` (backup, logs, network-devices, remote-access,
    # authentication, monitoring, bcp, first-response, contacts) or words in an item id.
    topics = (
        (("backup", "restore", "3-2-1", "offline"), "rr-backup", "measures.table.D.future", _OFFLINE_BACKUP,
         ("オフラインバックアップと復元テスト", "offline backups and restore tests")),
        (("log",), "rr-logs", "measures.table.D.future", _LOGS, ("ログの保存", "log keeping")),
        (("network-devices", "vpn", "patch", "update", "remote", "rdp", "auth", "mfa"), "rr-patch-mfa",
         "measures.table.D.future", _PATCH_MFA, ("VPN機器の更新・認証の強化", "VPN updates and strong authentication")),
        (("monitor", "edr"), "rr-edr", "measures.table.B.future", _EDR, ("EDR・監視", "EDR and monitoring")),
        (("contact", "bcp", "first-response", "call", "report"), "rr-contacts", "measures.table.A.future",
         _CONTACT_LIST, ("通報先・サイバーBCP", "whom to call and a cyber BCP")),
        (("first-response", "bcp"), "rr-first-response", "initial_response.steps.damage_assessment.content",
         _RANSOMWARE_FIRST_RESPONSE, ("初動対応", "first response")),
        (("insur",), "rr-insurance", "measures.table.C.future", _CYBER_INSURANCE,
         ("サイバー保険", "cyber insurance")),
    )
    taken = {s.value for s in out}
    for words, sid, path, text, (label_ja, label_en) in topics:
        hits = _topic_hits(answers, "ransomware-ready", words)
        if hits and text not in taken:
            ja, en = weak_reason(f"{label_ja} (ランサムウェア備え診断)", f"{label_en} (ransomware readiness)")
            out.append(Suggestion(sid, path, text, ja, en, source=f"ransomware-ready:{hits[0]}"))
            taken.add(text)

    # Baseline: the cyber-attack scenario every plan should consider (police flyers, fact sheet §1.5).
    base_ja = "サイバー攻撃を想定した計画にするための基本の提案です。"
    base_en = "Baseline proposal for a plan that assumes a cyber attack."
    hazards = get_path(document, "goals.hazards") if isinstance(document, dict) else None
    has_cyber = isinstance(hazards, list) and any(isinstance(r, dict) and r.get("hazard") == "cyber" for r in hazards)
    if not has_cyber:
        out.append(Suggestion("cyber-hazard", "goals.hazards[+]", dict(CYBER_HAZARD_ROW), base_ja, base_en))
    baseline = (
        ("cyber-team", "initial_response.steps.emergency_structure.content", _CYBER_TEAM),
        ("cyber-first-response", "initial_response.steps.damage_assessment.content", _RANSOMWARE_FIRST_RESPONSE),
        ("cyber-contacts", "measures.table.A.future", _CONTACT_LIST),
        ("cyber-edr", "measures.table.B.future", _EDR),
        ("cyber-insurance", "measures.table.C.future", _CYBER_INSURANCE),
        ("cyber-backup", "measures.table.D.future", _OFFLINE_BACKUP),
        ("cyber-logs", "measures.table.D.future", _LOGS),
        ("cyber-tabletop", "effectiveness.training", _TABLETOP),
    )
    for sid, path, text in baseline:
        if text not in taken:
            out.append(Suggestion(sid, path, text, base_ja, base_en))
            taken.add(text)
    out.append(Suggestion(
        "cyber-cooperator", "cooperators.items[+]",
        {"name": "(IT保守業者の名称)", "address": "", "representative": "",
         "content": "サイバー攻撃を受けたときの初動支援と、バックアップからの復旧を行う。"},
        base_ja, base_en,
    ))
    return out


# ---------------------------------------------------------------------------------------------------


def _incident_response(answers: dict[str, dict[str, Any]], document: dict[str, Any] | None) -> list[Suggestion]:
    out: list[Suggestion] = []
    ipa = _ipa_weak_numbers(answers)
    prevention = [_OFFLINE_BACKUP, _LOGS, _PATCH_MFA, _EDR]
    backup_hits = _topic_hits(answers, "ransomware-ready", ("backup", "restore", "offline"))
    if 11 in ipa or backup_hits:
        out.append(Suggestion("backup", "prevention.text", _OFFLINE_BACKUP,
                              "診断でバックアップが弱いと出ています。", "Your diagnosis shows weak backups.",
                              source=f"ipa-5min:{ipa[11]}" if 11 in ipa else f"ransomware-ready:{backup_hits[0]}"))
        prevention.remove(_OFFLINE_BACKUP)
    for index, text in enumerate(prevention):
        out.append(Suggestion(f"prevention-{index}", "prevention.text", text,
                              "ランサムウェアへの基本の備えです。", "Baseline ransomware preparation."))
    out.append(Suggestion("training-months", "training.training_months", [9],
                          "年1回以上の机上演習をおすすめします。", "At least one exercise a year.", mode="set"))
    out.append(Suggestion("review-months", "training.review_months", [3],
                          "年1回以上、手順と連絡先を見直します。", "Review at least yearly.", mode="set"))
    return out


def _ai_guideline(answers: dict[str, dict[str, Any]], document: dict[str, Any] | None) -> list[Suggestion]:
    out: list[Suggestion] = []
    # genai-use tags its opt-out / input-list / access items "leakage" (g05–g08).
    weak = _topic_hits(answers, "genai-use", ("leakage", "opt", "training", "paid", "plan", "setting"))
    reason = ("診断で、入力の学習利用を止める設定や法人向けプランが弱いと出ています。" if weak
              else "入力が学習に使われないことを確かめるための基本の提案です。")
    out.append(Suggestion(
        "no-training", "banned_uses.items[+]", "入力が学習に使われる設定のままの生成AIに業務の情報を入力すること",
        reason, "Do not enter work data where input may be used for training.",
        source=f"genai-use:{weak[0]}" if weak else "baseline",
    ))
    defaults = {
        "personal_information": ("prohibited", "顧客や従業員の個人情報は入力しない。必要な場合は仮名に置き換える。"),
        "third_party_confidential": ("prohibited", "秘密保持契約で受け取った情報は入力しない。"),
        "own_confidential": ("conditional", "学習に使われない設定の法人プランに限り、責任者が認めた範囲で入力できる。"),
        "third_party_copyright": ("conditional", "要約・分析のための入力は可。生成物が元の文章に似ていないか確かめる。"),
        "trademarks_designs": ("conditional", "他社のロゴやデザインに似た生成物を作らない。"),
        "celebrity_likeness": ("prohibited", "著名人の写真や氏名を入力して画像や文章を作らない。"),
    }
    for row, (rule, note) in defaults.items():
        out.append(Suggestion(f"input-{row}", f"input_rules.categories.{row}", {"rule": rule, "note": note},
                              "JDLAのひな形の区分に沿った基本の扱いです。",
                              "Baseline rule for this JDLA category.", mode="set"))
    return out


def _security_policy(answers: dict[str, dict[str, Any]], document: dict[str, Any] | None) -> list[Suggestion]:
    """A complete first draft along IPA's five headings (our wording), to accept or edit."""
    from .kinds.security_policy import DEFINITION

    section = DEFINITION.section("policy")
    return [
        Suggestion(f"policy-{f.id}", f"policy.{f.id}", f.example, "IPAのサンプルの見出しに沿った文案です。",
                   "Draft wording along IPA's sample headings.", mode="set")
        for f in section.fields
        if f.example
    ]


def suggestions_for(
    kind: str, diagnosis_answers: Any, document: dict[str, Any] | None = None
) -> list[Suggestion]:
    answers = diagnosis_answers if isinstance(diagnosis_answers, dict) else {}
    if kind == "jigyokei":
        return _jigyokei(answers, document)
    if kind == "incident-response":
        return _incident_response(answers, document)
    if kind == "ai-guideline":
        return _ai_guideline(answers, document)
    if kind == "security-policy":
        return _security_policy(answers, document)
    return []


_PATH_RE = re.compile(r"^([a-z_]+)\.([a-z_]+)(?:\[\+\]|\.([A-Za-z_]+)(?:\.([a-z_]+))?)?$")


def apply_suggestion(document: dict[str, Any], suggestion: Suggestion) -> dict[str, Any]:
    """A copy of `document` with the suggestion accepted (what the builder does on "accept").

    Text is appended on a new line after existing text ("append") or fills an empty field ("set");
    "[+]" paths append a table row; grid cells are addressed as section.field.row.column.
    """
    import copy

    doc = copy.deepcopy(document)
    match = _PATH_RE.match(suggestion.path)
    if not match:
        raise ValueError(f"unsupported suggestion path {suggestion.path!r}")
    section_id, field_id, row_id, column_id = match.groups()
    section = doc.setdefault(section_id, {})
    if suggestion.path.endswith("[+]"):
        rows = section.get(field_id)
        section[field_id] = (rows if isinstance(rows, list) else []) + [copy.deepcopy(suggestion.value)]
        return doc
    if row_id is None:
        container, key = section, field_id
    else:
        grid = section.setdefault(field_id, {})
        if column_id is None:  # a whole grid row, e.g. {"rule": ..., "note": ...}
            existing = grid.get(row_id) if isinstance(grid.get(row_id), dict) else {}
            grid[row_id] = {**existing, **{k: v for k, v in suggestion.value.items() if not existing.get(k)}}
            return doc
        container, key = grid.setdefault(row_id, {}), column_id
    current = container.get(key)
    if suggestion.mode == "append" and isinstance(current, str) and current.strip():
        if suggestion.value not in current:
            container[key] = current.rstrip() + "\n" + suggestion.value
    elif suggestion.mode == "append" or not current:
        container[key] = copy.deepcopy(suggestion.value)
    return doc
