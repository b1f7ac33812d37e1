"""An independent, plain pandas implementation of COINr's ASEM construction.

Written straight from ``reference/coinr-asem-method.md``, with loops and pandas statistics,
sharing no code with the engine, so that the engine's result can be checked stage by stage.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd


def build(asem_dir: Path) -> dict[str, pd.DataFrame]:
    data = pd.read_csv(asem_dir / "iData.csv").set_index("uCode")
    meta = pd.read_csv(asem_dir / "iMeta.csv")
    inds = meta[meta["Type"] == "Indicator"]
    codes = list(inds["iCode"])
    raw = data[codes].astype(float)
    # 1. denomination
    den = raw.copy()
    for _, row in inds.iterrows():
        if isinstance(row["Denominator"], str) and row["Denominator"]:
            den[row["iCode"]] = raw[row["iCode"]] / data[row["Denominator"]]
    # 2. group-mean imputation by EurAsia_group
    imp = den.copy()
    for code in codes:
        for members in data.groupby("EurAsia_group").groups.values():
            col = den.loc[members, code]
            mean = col.mean()
            imp.loc[members, code] = col.fillna(mean)
    # 3. treatment
    treated = imp.copy()
    winmax = math.ceil(0.1 * len(imp))
    for code in codes:
        x = imp[code].copy()

        def fails(s: pd.Series) -> bool:
            return abs(s.skew()) > 2 and s.kurt() > 3.5

        passes = 0
        while fails(x) and passes < winmax:
            if x.skew() >= 0:
                top = x.max()
                x[x == top] = x[x < top].max()
            else:
                bottom = x.min()
                x[x == bottom] = x[x > bottom].min()
            passes += 1
        if fails(x):
            orig = imp[code]
            x = np.log(orig - orig.min() + 0.01 * (orig.max() - orig.min()))
        treated[code] = x
    # 4. min-max onto [0, 100] after multiplying by the direction
    norm = treated.copy()
    for _, row in inds.iterrows():
        x = treated[row["iCode"]] * row["Direction"]
        norm[row["iCode"]] = (x - x.min()) / (x.max() - x.min()) * 100
    # 5. arithmetic means level by level
    scores = norm.copy()
    for level in sorted(meta["Level"].dropna().unique()):
        if level < 2:
            continue
        for _, row in meta[(meta["Level"] == level) & (meta["Type"] == "Aggregate")].iterrows():
            kids = meta[meta["Parent"] == row["iCode"]]
            values = scores[list(kids["iCode"])]
            w = kids.set_index("iCode")["Weight"]
            out = []
            for unit in values.index:
                num = den_w = 0.0
                for child in values.columns:
                    v = values.loc[unit, child]
                    if not math.isnan(v):
                        num += w[child] * v
                        den_w += w[child]
                out.append(num / den_w if den_w else math.nan)
            scores[row["iCode"]] = out
    return {
        "raw": raw,
        "denominated": den,
        "imputed": imp,
        "treated": treated,
        "normalised": norm,
        "scores": scores,
    }
