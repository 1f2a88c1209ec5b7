"""Each other monetary union a pool of its own, or every non-WAEMU country in one: checked on the unions.

econ pools the WAEMU's members together and every other country in one pool, so a user who loads
Chad beside Zimbabwe and Argentina has Chad's weights and bands drawn from theirs too. Tried in
session 19: the CEMAC, the ECCU and the euro area's first twelve members each a pool of its own,
their inflation pulled toward the union's as far as their errors say (the pull
``benchmarks/union_pooling.py`` chose on these unions). This script backtests the World Bank
panel (no WAEMU member in it) once, monthly CPI models and annual ones, 1 February, origins from
1985, and scores the unions' members one year ahead, pooled both ways: their point projections (MAE
over naive's, errors over each series' typical yearly change) and their bands (CRPS over the same
scale, 80 % and 95 % coverage, the 95 % interval score).

The rule was declared before the run: the union pools replace the one pool if, on 1995-2004 and on
2005-2014, their scaled MAE and their CRPS are each no worse.

Measured (session 19; 22 series, 220 forecasts in each decade):

| pools | years | MAE / naive (scaled) | CRPS / scale | 80 % / 95 % cover | interval score 95 % |
|---|---|---|---|---|---|
| one pool (econ's) | 1995-2004 | 0.768 | 0.467 | 88.2 % / 98.6 % | 12.39 |
| one pool (econ's) | 2005-2014 | 0.569 | 0.739 | 67.7 % / 94.1 % | 8.16 |
| union pools | 1995-2004 | 0.792 | 0.487 | 92.3 % / 98.2 % | 18.77 |
| union pools | 2005-2014 | 0.554 | 0.722 | 74.1 % / 91.8 % | 12.67 |

The union pools lose on 1995-2004 (MAE 0.792 against 0.768, CRPS 0.487 against 0.467) and win on
2005-2014, so econ keeps the one pool. Their bands are drawn from a handful of series and are much
wider (the interval score half as large again in both decades); in the one pool a hyperinflation's
tails are diluted among 160 countries, where in a store of four (Chad beside Zimbabwe, Argentina
and Guinea) they are not, and the cut at the series' twenty-year range (``econ.bands.spans``) is
what bounds them there. About five minutes on two cores.

    .venv/bin/python benchmarks/union_pools.py [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecast import pooled  # noqa: E402
from panel import panel_backtest  # noqa: E402
from union_pooling import UNIONS  # noqa: E402

from econ.forecast import inputs  # noqa: E402
from econ.forecast.run import combine_pools  # noqa: E402
from econ.forecast.series import SeriesCandidates  # noqa: E402
from econ.schema import WAEMU  # noqa: E402

WINDOWS = (1995, 2004), (2005, 2014)
UNION_OF = {c: u for u, members in UNIONS.items() for c in members}
MEMBERS = set(UNION_OF)


def scores(results: list, reader, years: tuple[int, int]) -> dict:
    pools = combine_pools(reader, results)
    mine = {r.key: r for r in results if isinstance(r, SeriesCandidates) and r.country in MEMBERS}
    rows = pooled(mine, pools, list(mine), 0, years).dropna(subset=["actual", "forecast", "naive", "scale"])
    own, base = (rows["forecast"] - rows["actual"]).abs(), (rows["naive"] - rows["actual"]).abs()
    typical = rows["scale"] / rows["turbulence"]
    inside = lambda level: ((rows["actual"] >= rows[f"lower_{level}"]) & (rows["actual"] <= rows[f"upper_{level}"])).mean()  # noqa: E731
    miss = (rows["lower_95"] - rows["actual"]).clip(lower=0) + (rows["actual"] - rows["upper_95"]).clip(lower=0)
    return {"mae": float((own / typical).sum() / (base / typical).sum()), "crps": float((rows["crps"] / typical).mean()),
            "cover80": float(inside(80)), "cover95": float(inside(95)), "n": len(rows),
            "interval": float((rows["upper_95"] - rows["lower_95"] + 40 * miss).mean())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    outside_waemu = lambda stored: [c for c in stored if c not in WAEMU]  # noqa: E731
    with panel_backtest(WINDOWS[-1][1], args.workers, outside_waemu) as done:
        if done is None:
            return
        results = [r for r in done.candidates.values() if isinstance(r, SeriesCandidates)]
        print(f"{len(results)} countries backtested in {done.seconds:.0f} s; the unions' {len(MEMBERS)} members scored")
        print("| pools | years | MAE / naive (scaled) | CRPS / scale | 80 % / 95 % cover | interval score 95 % | forecasts |")
        print("|---|---|---|---|---|---|---|")
        ways = {"one pool (econ's)": [replace(r, pool="inflation/world") for r in results],
                "union pools": [replace(r, pool=f"inflation/{UNION_OF.get(r.country, 'world')}") for r in results]}
        original = set(inputs.UNIONS)
        inputs.UNIONS.update(UNIONS)  # their inflation pulled toward the union's, as the WAEMU's is
        try:
            for label, pooled_results in ways.items():
                for years in WINDOWS:
                    s = scores(pooled_results, done.reader, years)
                    print(f"| {label} | {years[0]}-{years[1]} | {s['mae']:.3f} | {s['crps']:.3f} | {s['cover80']:.1%} / "
                          f"{s['cover95']:.1%} | {s['interval']:.2f} | {s['n']} |", flush=True)
        finally:
            inputs.UNIONS.clear()
            inputs.UNIONS.update(original)


if __name__ == "__main__":
    main()
