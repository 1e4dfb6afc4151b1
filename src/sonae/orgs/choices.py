"""Fixed choice lists for organisation profiles.

Industry: 日本標準産業分類 (令和5年7月改定, 第14回改定) 大分類 A–T,
https://www.soumu.go.jp/toukei_toukatsu/index/seido/sangyo/R05index.htm (as of 2026-11-26).
Prefectures: JIS X 0401 order.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    A = "A", _("農業，林業")
    B = "B", _("漁業")
    C = "C", _("鉱業，採石業，砂利採取業")
    D = "D", _("建設業")
    E = "E", _("製造業")
    F = "F", _("電気・ガス・熱供給・水道業")
    G = "G", _("情報通信業")
    H = "H", _("運輸業，郵便業")
    I = "I", _("卸売業，小売業")  # noqa: E741 - the official letter
    J = "J", _("金融業，保険業")
    K = "K", _("不動産業，物品賃貸業")
    L = "L", _("学術研究，専門・技術サービス業")
    M = "M", _("宿泊業，飲食サービス業")
    N = "N", _("生活関連サービス業，娯楽業")
    O = "O", _("教育，学習支援業")  # noqa: E741
    P = "P", _("医療，福祉")
    Q = "Q", _("複合サービス事業")
    R = "R", _("サービス業（他に分類されないもの）")
    S = "S", _("公務（他に分類されるものを除く）")
    T = "T", _("分類不能の産業")


class EmployeeBand(models.TextChoices):
    UP_TO_5 = "1-5", _("1〜5人")
    UP_TO_20 = "6-20", _("6〜20人")
    UP_TO_50 = "21-50", _("21〜50人")
    UP_TO_100 = "51-100", _("51〜100人")
    UP_TO_300 = "101-300", _("101〜300人")
    OVER_300 = "301+", _("301人以上")


PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
]
PREFECTURE_CHOICES = [(name, name) for name in PREFECTURES]


class Role(models.TextChoices):
    OWNER = "owner", _("オーナー")
    EDITOR = "editor", _("編集者")
    VIEWER = "viewer", _("閲覧者")


ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}
