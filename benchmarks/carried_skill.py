"""Whether skill shown nearer should carry outward unless the farther record refutes it, judged away from the WAEMU.

The idea (session 20). A user loads the World Bank's CPI for Zimbabwe, Chad, Guinea and Argentina
and runs ``econ forecast --as-of 2021-07-01``: Zimbabwe's inflation reads 113 % for 2021 and 85 %
for 2022 (the monthly models, weighted on their record), then 557 % for 2023, the naive forecast
(2020's figure, the peak of the hyperinflation), because at that step no model's pooled record was
better than the naive forecast's. The path goes back to a figure the months already contradict.

econ's rule (``econ.combine.weights_from``): a candidate that passed the test at a nearer step of
the same projection needs, farther out, eight errors and a record better than the naive forecast's.
The variant ("carried"): it needs eight errors and a record not worse than naive's beyond luck (the
same one-sided t test at 10 %, turned round); its weight is still inverse relative MAE, shrunk.

The rule was declared before the run: take the variant if, on the World Bank panel without the
WAEMU (monthly CPI, origins on 1 February), on 1995-2004, in one pool and in pools of eight, its
scaled MAE over naive's at lead 1 and at lead 2 (the years after the current one) is each at or
below econ's, with no more series above 1.10 x naive; and on 2005-2014, checked after, no worse.
Lead 0 is the nearest step: no rule there changes.

Measured (session 20; 164 countries; scaled MAE over naive's, raw, share of series above 1.10 x
naive, forecasts; lead 0 is the current year, made on 1 February with the CPI to December):

| rule | pools | years | lead 0 | lead 1 | lead 2 |
|---|---|---|---|---|---|
| econ's | one | 1995-2004 | 0.983, 0.979, 6% (1436) | 1.060, 1.059, 49% (1420) | 1.282, 1.054, 44% (1405) |
| carried | one | 1995-2004 | 0.983, 0.979, 6% (1436) | 1.060, 1.057, 48% (1420) | 1.281, 1.052, 44% (1405) |
| econ's | of eight | 1995-2004 | 0.989, 0.995, 6% (1436) | 0.999, 1.039, 29% (1420) | 0.494, 1.007, 32% (1405) |
| carried | of eight | 1995-2004 | 0.989, 0.995, 6% (1436) | 0.997, 1.037, 27% (1420) | 0.493, 1.005, 34% (1405) |
| econ's | one | 2005-2014 | 0.641, 0.692, 4% (1582) | 0.923, 1.267, 26% (1573) | 1.035, 1.535, 39% (1564) |
| carried | one | 2005-2014 | 0.641, 0.692, 4% (1582) | 0.905, 1.217, 26% (1573) | 1.010, 1.470, 37% (1564) |
| econ's | of eight | 2005-2014 | 0.662, 0.721, 3% (1582) | 0.911, 0.933, 13% (1573) | 0.943, 1.060, 25% (1564) |
| carried | of eight | 2005-2014 | 0.662, 0.721, 3% (1582) | 0.850, 0.878, 11% (1573) | 0.910, 1.024, 22% (1564) |

Not taken. On the choosing window the variant is at or below econ's MAE everywhere, but in pools
of eight at lead 2 it leaves 34 % of series above 1.10 x naive against 32 %, and the rule allowed
no more. On 2005-2014, checked after, it is better at both leads (0.850 against 0.911 in pools of
eight at lead 1): that gain is on years that cannot choose it. So Zimbabwe's path still goes back
to the naive forecast in 2023, and the Indicator page says which candidates each year has.

What the table also shows, and econ's README says: on this panel the years after the current one
are harder than the current year. In 1995-2004, a decade of worldwide disinflation that the
models' longer memories missed, econ's projection of next year was no better than the naive
forecast (1.06 times it in one pool) and that of the year after worse; in 2005-2014, 0.91 and 0.94
in pools of eight. The issue's targets are one year ahead, where econ is 0.64-0.99.

    .venv/bin/python benchmarks/carried_skill.py [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from combination_rules import small_pools  # noqa: E402
from panel import panel_backtest  # noqa: E402

from econ import combine  # noqa: E402
from econ.backtest import NAIVE  # noqa: E402
from econ.forecast.assemble import series_rows, with_actuals  # noqa: E402
from econ.forecast.run import combine_pools  # noqa: E402
from econ.forecast.series import SeriesCandidates  # noqa: E402
from econ.schema import WAEMU  # noqa: E402

WINDOWS = (1995, 2004), (2005, 2014)
LEADS = (0, 1, 2)


def carried(evidence: dict, present: tuple[str, ...], passed: frozenset = frozenset()) -> dict[str, float]:
    """econ's rule, except that a candidate weighted at a nearer step keeps its place farther out
    unless the naive forecast has beaten it there beyond luck."""
    def keeps(c: str) -> bool:
        e = evidence.get(c)
        if c == NAIVE or e is None or e["n"] < combine.MIN_ERRORS:
            return False
        if c in passed:
            return e["p_better"] < 1 - combine.SIGNIFICANCE
        return e["relative_mae"] < 1.0 and e["p_better"] < combine.SIGNIFICANCE

    qualified = [c for c in present if keeps(c)]
    if not qualified:
        return {NAIVE: 1.0} if NAIVE in present else {present[0]: 1.0}
    inverse = np.array([1.0 / max(evidence[c]["relative_mae"], 0.05) for c in qualified])
    alpha = combine.SHRINK / (combine.SHRINK + float(np.median([evidence[c]["n"] for c in qualified])))
    weights = (1 - alpha) * inverse / inverse.sum() + alpha / len(qualified)
    return {c: float(w) for c, w in zip(qualified, weights)}


def scores(results: list, reader) -> dict:
    """Per window and lead: scaled MAE over naive's, raw, share of series above 1.10, forecasts."""
    pools = combine_pools(reader, results)
    frames = []
    for r in results:
        pool = pools.get(r.pool) if isinstance(r, SeriesCandidates) else None
        if pool is None or r.key not in set(pool.econ["series"]):
            continue
        frames.append(with_actuals(series_rows(pool, r.key), r.latest).assign(series=r.key))
    rows = pd.concat(frames, ignore_index=True).dropna(subset=["actual", "forecast", "naive", "scale"])
    out = {}
    for years in WINDOWS:
        for lead in LEADS:
            part = rows[(rows["lead"] == lead) & rows["period"].between(*years)]
            own, base = (part["forecast"] - part["actual"]).abs(), (part["naive"] - part["actual"]).abs()
            per_series = (own.groupby(part["series"]).sum() / base.groupby(part["series"]).sum()).replace(np.inf, np.nan)
            out[(years, lead)] = (float((own / part["scale"]).sum() / (base / part["scale"]).sum()),
                                  float(own.sum() / base.sum()), float((per_series > 1.10).mean()), len(part))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with panel_backtest(WINDOWS[-1][1], args.workers, lambda stored: sorted(set(stored) - set(WAEMU))) as done:
        if done is None:
            return
        results, reader = list(done.candidates.values()), done.reader
        print(f"{len(done.countries)} countries (WAEMU left out), backtested in {done.seconds:.0f} s; "
              "scaled MAE / naive, raw, share of series above 1.10 x naive, forecasts")
        print("| rule | pools | years | lead 0 | lead 1 | lead 2 |\n|---|---|---|---|---|---|")
        original = combine.weights_from
        try:
            for pools, members in (("one", results), ("of eight", small_pools(results, 8))):
                for name, rule in (("econ's", original), ("carried", carried)):
                    combine.weights_from = rule
                    s = scores(members, reader)
                    for years in WINDOWS:
                        cells = " | ".join(f"{a:.3f}, {b:.3f}, {c:.0%} ({n})" for a, b, c, n in
                                           (s[(years, lead)] for lead in LEADS))
                        print(f"| {name} | {pools} | {years[0]}-{years[1]} | {cells} |", flush=True)
        finally:
            combine.weights_from = original


if __name__ == "__main__":
    main()
