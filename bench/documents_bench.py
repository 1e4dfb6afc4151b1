"""Render time of each document kind in each format (median of 5), plus validation and the card.

    uv run python bench/documents_bench.py [FIXTURE_DIR] [--out DIR]

FIXTURE_DIR defaults to tests/engines/documents/fixtures (the fictional Yokohama manufacturer).
`--out DIR` also writes every rendered file, e.g. to look at the PDFs with `pdftoppm -png`.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from pathlib import Path

from pypdf import PdfReader

from sonae.engines import documents

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    "jigyokei": "jigyokei_minato.json",
    "security-policy": "security_policy_minato.json",
    "ai-guideline": "ai_guideline_minato.json",
    "incident-response": "incident_response_minato.json",
}
RUNS = 5


def median_ms(action) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fixtures", nargs="?", default=str(ROOT / "tests/engines/documents/fixtures"))
    parser.add_argument("--out", default=None, help="write the rendered files here")
    args = parser.parse_args()
    fixtures = Path(args.fixtures)
    out = Path(args.out) if args.out else None
    if out:
        out.mkdir(parents=True, exist_ok=True)

    # The first PDF of a process loads the CID font metrics; measure it separately.
    start = time.perf_counter()
    documents.render("security-policy", documents.empty_document("security-policy"), "pdf")
    print(f"first PDF in the process (font set-up): {(time.perf_counter() - start) * 1000:.0f} ms\n")

    print(f"{'kind':<18} {'validate':>9} {'md':>8} {'docx':>8} {'pdf':>8} {'pages':>6} {'KB pdf':>7}")
    for kind, name in SAMPLES.items():
        data = json.loads((fixtures / name).read_text(encoding="utf-8"))
        validate_ms, _ = median_ms(lambda: documents.validate(kind, data, require_complete=True))
        row = {}
        for fmt in documents.FORMATS:
            row[fmt], content = median_ms(lambda fmt=fmt: documents.render(kind, data, fmt))
            if out:
                (out / f"{kind}.{fmt}").write_bytes(content)
            if fmt == "pdf":
                pages = len(PdfReader(io.BytesIO(content)).pages)
                size = len(content) / 1024
        print(f"{kind:<18} {validate_ms:>7.2f}ms {row['md']:>6.1f}ms {row['docx']:>6.1f}ms {row['pdf']:>6.1f}ms "
              f"{pages:>6} {size:>7.1f}")

    data = json.loads((fixtures / SAMPLES["incident-response"]).read_text(encoding="utf-8"))
    card_ms, card = median_ms(lambda: documents.render_card(data, "pdf"))
    pages = len(PdfReader(io.BytesIO(card)).pages)
    print(f"\nいざという時カード (pdf): {card_ms:.1f} ms, {pages} page(s)")
    if out:
        (out / "card.pdf").write_bytes(card)


if __name__ == "__main__":
    main()
