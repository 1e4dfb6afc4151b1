"""Reading an IT asset list from CSV or Excel, and writing one back as CSV, defensively.

Every problem is reported as (line, column, reason) and nothing is imported while any remains: a list
that is half in is worse than none. Limits keep hostile files cheap: the upload size, the number of
rows and the length of a cell. Excel files are read with openpyxl in read-only mode (it parses the
sheet XML with defusedxml when that is installed, as it is here). On export, a cell that a spreadsheet
would run as a formula (= + - @, tab, CR at the start) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Asset

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_CELL_CHARS = 500

# Column → (model field, the header names accepted for it, the maximum length).
COLUMNS = {
    "kind": (("種類", "kind"), 10),
    "name": (("名前", "name"), 100),
    "vendor": (("メーカー", "vendor"), 100),
    "product": (("製品名", "製品", "product"), 100),
    "version": (("バージョン", "version"), 50),
    "cpe": (("CPE", "CPE名", "cpe"), 200),
    "caretaker": (("管理している人・会社", "担当", "担当者", "caretaker"), 100),
    "note": (("メモ", "note"), 500),
}
REQUIRED = ("kind", "name")
HEADERS_JA = ["種類", "名前", "メーカー", "製品名", "バージョン", "CPE", "管理している人・会社", "メモ"]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


class AssetFileError(ValueError):
    """The file as a whole cannot be read (wrong type, too big, not a table)."""


def _kind_of(value: str) -> str | None:
    wanted = unicodedata.normalize("NFKC", value).strip().lower()
    for code, label in Asset.Kind.choices:
        if wanted in (code, unicodedata.normalize("NFKC", str(label)).lower()):
            return code
    aliases = {"vpn": "vpn", "utm": "firewall", "wifi": "router", "wi-fi": "router", "ルーター": "router", "pc": "pc",
               "サーバ": "server", "クラウド": "cloud"}
    return aliases.get(wanted)


def _rows_from_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp932"):  # Excel in Japan saves CSV as Shift_JIS (cp932)
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise AssetFileError(_("文字コードが UTF-8 でも Shift_JIS でもありません。CSV（UTF-8）で保存し直してください。"))
    if "\x00" in text:
        raise AssetFileError(_("CSVではないファイルのようです（バイナリが含まれています）。"))
    try:  # the file is at most MAX_FILE_BYTES, so csv's own field limit (128 KiB) is never the only guard
        rows = []
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except csv.Error as exc:
        raise AssetFileError(_("CSVとして読めません（%(reason)s）。") % {"reason": str(exc)[:100]}) from None


MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024


def _check_archive(data: bytes) -> None:
    """Refuse a zip bomb before openpyxl unpacks it (it reads shared strings whole, even read-only)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise AssetFileError(_("Excelファイル（.xlsx）として読めません。")) from exc
    if len(members) > 500 or sum(m.file_size for m in members) > MAX_XLSX_UNPACKED_BYTES:
        raise AssetFileError(_("Excelファイルの中身が大きすぎます。必要な列だけを CSV で保存して取り込んでください。"))


def _rows_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_archive(data)

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise AssetFileError(_("Excelファイル（.xlsx）として読めません。")) from exc
    except Exception as exc:  # openpyxl raises many kinds on broken or hostile archives; none may crash the page
        raise AssetFileError(_("Excelファイル（.xlsx）として読めません。")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=len(COLUMNS) + 4):
            rows.append(["" if cell is None else str(cell) for cell in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception as exc:
        raise AssetFileError(_("Excelファイル（.xlsx）として読めません。")) from exc
    finally:
        workbook.close()


def read_asset_file(data: bytes, filename: str) -> tuple[list[dict], list[RowError]]:
    """(assets as field dicts, errors). Line numbers count the header as line 1, as a spreadsheet does."""
    if len(data) > MAX_FILE_BYTES:
        raise AssetFileError(_("ファイルが大きすぎます（上限 %(mb)s MB）。") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise AssetFileError(_("Excelファイル（.xlsx）として読めません。"))
        rows = _rows_from_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        rows = _rows_from_csv(data)
    else:
        raise AssetFileError(_("CSV（.csv）か Excel（.xlsx）のファイルを選んでください。"))
    rows = [r for r in rows if any(cell.strip() for cell in r)] if rows else []
    if not rows:
        raise AssetFileError(_("ファイルに行がありません。"))
    header = [unicodedata.normalize("NFKC", h).strip() for h in rows[0]]
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, title in enumerate(header):
        for field_name, (names, _limit) in COLUMNS.items():
            if title in {unicodedata.normalize("NFKC", n) for n in names}:
                positions[field_name] = index
    for field_name in REQUIRED:
        if field_name not in positions:
            errors.append(RowError(1, COLUMNS[field_name][0][0], _("この列が見つかりません（1行目に列名を書いてください）。")))
    if errors:
        return [], errors
    if len(rows) - 1 > MAX_ROWS:
        return [], [RowError(MAX_ROWS + 2, "-", _("行が多すぎます（上限 %(n)s 行）。") % {"n": MAX_ROWS})]
    assets = []
    for line, row in enumerate(rows[1:], start=2):
        values = {}
        for field_name, index in positions.items():
            raw = row[index] if index < len(row) else ""
            value = unicodedata.normalize("NFKC", raw).strip()
            column = COLUMNS[field_name][0][0]
            if len(value) > COLUMNS[field_name][1]:
                errors.append(RowError(line, column, _("長すぎます（%(n)s 文字まで）。") % {"n": COLUMNS[field_name][1]}))
            elif any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in value):
                errors.append(RowError(line, column, _("制御文字など表示できない文字が含まれています。")))
            values[field_name] = value
        if not values.get("name"):
            errors.append(RowError(line, COLUMNS["name"][0][0], _("名前が空です。")))
        kind = _kind_of(values.get("kind", ""))
        if kind is None:
            errors.append(RowError(line, COLUMNS["kind"][0][0], _("種類が分かりません（例：VPN機器、ルーター・Wi-Fi、パソコン）。")))
        else:
            values["kind"] = kind
        assets.append(values)
    return assets, errors


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell value that Excel or LibreOffice will show as text, never run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def assets_csv(assets) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS_JA)
    for asset in assets:
        writer.writerow([spreadsheet_safe(v) for v in (
            str(asset.get_kind_display()), asset.name, asset.vendor, asset.product, asset.version, asset.cpe,
            asset.caretaker, asset.note,
        )])
    return buffer.getvalue().encode("utf-8-sig")
