"""Whole-path timings of the OPD forms: writing one workbook per OPD, collecting them back.

Baseline in the same process: opening the same workbooks the way the reader did before
(openpyxl's full mode, ``data_only=True``) without checking anything, so the ratio shows what
the read-only reader with its zip check and value checks costs or saves. Optionally the PDF
of the report (``--pdf``, needs Chromium). Run::

    .venv/bin/python -m benchmarks.bench_forms [--repeat 5] [--pdf]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    import openpyxl

    from cityeval.masterplan import get_masterplan, get_round
    from cityeval.masterplan.forms import collect_forms, write_forms

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args()
    mp = get_masterplan("banyuasin")
    rnd = get_round(mp, "2019-tahap-3")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "forms"

        def write() -> None:
            write_forms(mp, rnd.id, folder, year=2019, date=rnd.date, prefill=rnd)

        t_write = _median(write, args.repeat)
        paths = sorted(folder.iterdir())

        def collect() -> None:
            collect_forms(paths, mp, rnd.id)

        def baseline() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for p in paths:
                    wb = openpyxl.load_workbook(p, data_only=True)
                    for ws in wb.worksheets:
                        for _row in ws.iter_rows(values_only=True):
                            pass

        t_collect = _median(collect, args.repeat)
        t_base = _median(baseline, args.repeat)
        print(f"write {len(paths)} workbooks (one per OPD): median {t_write * 1000:.0f} ms")
        print(f"collect {len(paths)} workbooks: median {t_collect * 1000:.0f} ms")
        print(f"baseline full-mode open of the same: median {t_base * 1000:.0f} ms")
        print(f"ratio collect / baseline: {t_collect / t_base:.2f}")
    if args.pdf:
        from cityeval.masterplan import resolve_framework
        from cityeval.masterplan.evaluation import evaluate
        from cityeval.report.html import render_html
        from cityeval.report.pdf import html_to_pdf

        sc = evaluate(mp, resolve_framework(mp, None), rnd, compare=get_round(mp, "2018-tahap-2"))
        page = render_html(sc, "id")
        t_html = _median(lambda: render_html(sc, "id"), args.repeat)
        t_pdf = _median(lambda: html_to_pdf(page), max(1, args.repeat // 2))
        print(f"render report.html: median {t_html * 1000:.0f} ms")
        print(f"print report.pdf (Chromium start included): median {t_pdf * 1000:.0f} ms")
        print(f"ratio pdf / html: {t_pdf / t_html:.0f}")


if __name__ == "__main__":
    main()
