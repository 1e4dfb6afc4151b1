"""Diagnosis benchmark: scoring and report rendering times, median of 5 runs.

    uv run python bench/diagnosis_bench.py [--out DIR]

Scores a realistic 25-item IPA answer set (and the three other instruments), then renders
the PDF, Excel, CSV and SVG outputs. Each figure is the median of 5 runs; scoring is timed
over 1,000 calls per run because one call is far below the clock's resolution.
With --out, the sample PDF/XLSX/CSV/SVG are written there (render the PDF with
`pdftoppm -r 100 -png DIR/ipa-5min.pdf DIR/page` to look at it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time
from pathlib import Path

from pypdf import PdfReader

from sonae.catalog.instruments import load_instruments
from sonae.engines import reports
from sonae.engines.scoring import score

RUNS = 5
SCORE_CALLS = 1000
DAY = dt.date(2026, 11, 26)


def sample_answers(instrument) -> dict[str, int]:
    cycle = [4, 4, 2, 0, 4, -1, 2, 4]
    points = [o.points for o in instrument.scale]
    return {item.id: (cycle[n % len(cycle)] if cycle[n % len(cycle)] in points else points[n % len(points)])
            for n, item in enumerate(instrument.items)}


def median_ms(fn, repeat: int = 1) -> tuple[float, list[float]]:
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        runs.append((time.perf_counter() - start) * 1000 / repeat)
    return statistics.median(runs), runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write sample reports to this folder")
    args = parser.parse_args()

    start = time.perf_counter()
    registry = load_instruments()
    print(f"catalog load (first, validated): {(time.perf_counter() - start) * 1000:.1f} ms")

    # The first PDF registers the CID fonts; time it separately from the steady state.
    ipa = registry.get("ipa-5min")
    first = score(ipa, sample_answers(ipa))
    start = time.perf_counter()
    reports.render_pdf(first, generated_on=DAY)
    print(f"first PDF in process (font registration): {(time.perf_counter() - start) * 1000:.1f} ms")

    print(f"\n{'instrument':<20}{'score (µs/call)':>16}{'PDF ms':>9}{'pages':>7}{'XLSX ms':>9}"
          f"{'CSV ms':>8}{'SVG ms':>8}{'PDF KB':>8}")
    for instrument in registry:
        answers = sample_answers(instrument)
        result = score(instrument, answers)
        scoring, _ = median_ms(lambda: score(instrument, answers), repeat=SCORE_CALLS)
        pdf_ms, _ = median_ms(lambda: reports.render_pdf(result, generated_on=DAY))
        xlsx_ms, _ = median_ms(lambda: reports.render_xlsx(result, generated_on=DAY))
        csv_ms, _ = median_ms(lambda: reports.render_csv(result), repeat=100)
        svg_ms, _ = median_ms(lambda: reports.svg_radar_chart(result), repeat=100)
        pdf = reports.render_pdf(result, generated_on=DAY)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"{instrument.id:<20}{scoring * 1000:>16.1f}{pdf_ms:>9.1f}{pages:>7}{xlsx_ms:>9.1f}"
              f"{csv_ms:>8.2f}{svg_ms:>8.2f}{len(pdf) / 1024:>8.1f}")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{instrument.id}.pdf").write_bytes(pdf)
            (args.out / f"{instrument.id}.xlsx").write_bytes(reports.render_xlsx(result, generated_on=DAY))
            (args.out / f"{instrument.id}.csv").write_text(reports.render_csv(result), encoding="utf-8")
            (args.out / f"{instrument.id}-radar.svg").write_text(reports.svg_radar_chart(result),
                                                                 encoding="utf-8")
    history = [(dt.date(2025 + (m // 12), m % 12 + 1, 1), 40 + m * 3) for m in range(0, 24, 6)]
    trend_ms, _ = median_ms(lambda: reports.svg_trend_chart(history, maximum=100), repeat=100)
    print(f"\nSVG trend chart (4 runs): {trend_ms:.2f} ms")
    print(f"median of {RUNS} runs each; scoring averaged over {SCORE_CALLS} calls per run")


if __name__ == "__main__":
    main()
