"""情報セキュリティ基本方針: the five headings of IPA's sample policy, for SECURITY ACTION ★★.

Headings from shared/reference/ipa-self-diagnosis-and-security-action.md §3.3 (経営者の責任 /
社内体制の整備 / 従業員の取組み / 法令および契約上の要求事項の遵守 / 違反および事故への対応; footer
制定日・会社名・代表者). ★★ asks that the policy be published, hence the flag and URL.
"""

from __future__ import annotations

from typing import Any

from ..fields import CHOICE, DATE, TEXTAREA, Condition, DocumentDefinition, Issue, L, Section, get_path
from ._build import YES_NO, fld

KIND = "security-policy"

URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"

_POLICY_HELP = "方針として守ることを、社員が読んで分かる言葉で2〜4文にまとめます。"

SECTIONS = (
    Section(
        id="organisation",
        number="",
        title=L("制定者", "Issued by"),
        placement="signature",
        fields=(
            fld("org_name", "会社名", "Organisation", help=('文書に載せる正式な会社名です。組織の設定から入ります。', 'The official company name printed on the document; taken from the organisation settings.'), required=True, example="株式会社みなと精工"),
            fld("representative", "代表者", "Representative", help=('方針に責任を持つ代表者の役職と氏名です。', 'Title and name of the representative who stands behind the policy.'), required=True, example="代表取締役　港　太郎"),
            fld("established_on", "制定日", "Date issued", DATE, help=('この文書を会社として定めた日です。承認した日に合わせるのが一般的です。', 'The day the company adopts this document, usually the approval date.'), required=True, example="2026-12-01"),
            fld("revised_on", "改定日", "Date revised", DATE,
                help=("改定したときに入れます。", "When the policy was last revised."), example="2027-12-01"),
        ),
    ),
    Section(
        id="policy",
        number="",
        title=L("情報セキュリティ基本方針", "Information security policy"),
        show_title=False,
        fields=(
            fld("preamble", "前文", "Preamble", TEXTAREA, required=True, show_label=False,
                help=("会社と顧客の情報資産を事故・災害・犯罪から守る、という決意を書きます。",
                      "State that you protect your and your customers' information from accidents, "
                      "disasters and crime."),
                example="当社は、お客様からお預かりした情報と当社の情報資産を、事故・災害・犯罪などの脅威から"
                        "守ることが重要な経営課題であると考え、次の方針に基づき全社で取り組みます。"),
            fld("management_responsibility", "1. 経営者の責任", "1. Management responsibility", TEXTAREA,
                required=True, help=(_POLICY_HELP, "What the owner commits to."),
                example="経営者は、情報セキュリティの維持・改善に主導的に取り組みます。"),
            fld("internal_structure", "2. 社内体制の整備", "2. Internal organisation", TEXTAREA,
                required=True, help=(_POLICY_HELP, "Who is responsible, and rules."),
                example="情報セキュリティ責任者を置き、社内規則を定めて維持・改善します。"),
            fld("employee_actions", "3. 従業員の取組み", "3. What employees do", TEXTAREA, required=True,
                help=(_POLICY_HELP, "Staff learn and follow the rules."),
                example="従業員は、必要な知識と技術を身に付け、情報セキュリティへの取組みを確実に実施します。"),
            fld("legal_compliance", "4. 法令および契約上の要求事項の遵守", "4. Laws and contracts",
                TEXTAREA, required=True, help=(_POLICY_HELP, "Comply with laws and customer contracts."),
                example="情報セキュリティに関する法令、規制、規範、契約上の義務を遵守し、お客様の期待に応えます。"),
            fld("incident_response", "5. 違反および事故への対応", "5. Violations and incidents",
                TEXTAREA, required=True, help=(_POLICY_HELP, "Respond to breaches and prevent recurrence."),
                example="法令違反や契約違反、情報セキュリティ事故が起きた場合は適切に対処し、再発防止に努めます。"),
        ),
    ),
    Section(
        id="publication",
        number="",
        title=L("公開", "Publication"),
        placement="meta",
        intro=L(
            "SECURITY ACTION 二つ星の宣言には、基本方針を定めて外部に公開することが必要です。",
            "The ★★ declaration of SECURITY ACTION requires the policy to be published.",
        ),
        fields=(
            fld("published", "外部に公開している", "Published", CHOICE, required=True, choices=YES_NO,
                help=("ホームページなどで社外に公開しているかどうかです。SECURITY ACTION ★★の宣言には公開が必要です。", "Whether the policy is public, e.g. on the website; SECURITY ACTION two-star needs it published."),
                example="はい"),
            fld("url", "公開しているURL", "Where it is published", required_when=Condition(
                "publication.published", "yes"), max_length=500, pattern=URL_PATTERN,
                pattern_reason=L("URLは https:// で始まる形で入力してください。",
                                 "Write the URL starting with https://."),
                help=("自社ホームページのページのURLです。", "The page on your website."),
                example="https://www.minato-seiko.example.jp/security-policy"),
        ),
    ),
)


def _check_url_scheme(doc: dict[str, Any]) -> list[Issue]:
    url = get_path(doc, "publication.url")
    if isinstance(url, str) and url.startswith("http://"):
        return [Issue("publication.url", "https:// のURLで公開することをおすすめします。",
                      "Publishing under https:// is recommended.", severity="warning")]
    return []


DEFINITION = DocumentDefinition(
    kind=KIND,
    title=L("情報セキュリティ基本方針", "Information Security Policy"),
    sections=SECTIONS,
    org_name_path="organisation.org_name",
    rules=(_check_url_scheme,),
)
