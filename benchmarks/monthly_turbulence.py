"""Whether bands drawn with a monthly CPI should follow the last three years' turbulence too.

Inflation's bands drawn from annual data alone follow the series' last three years
(``econ.bands.turbulence``, chosen in ``local_scale.py``). Bands drawn with a monthly CPI do not
(``TURBULENT_MONTHLY`` is off): the months already say part of how turbulent the year is, and the
factor was not checked there. The WAEMU's nowcasts made on 1 July cover 72 % at 80 %, below the
75-85 % asked, the misses in years when the whole union moved (2008, 2021, 2022).

The rule was declared before the run: the factor is applied to monthly-informed bands only if, on
the World Bank panel's monthly CPI without the WAEMU (``../shared/data/world_inflation_panel.csv``,
read there, never copied), in pools of eight, for the year's projection made on 1 February (CPI to
December) and the one made on 1 July (CPI to May), on 1995-2004 it lowers both the Brier score of
P(inflation > 3 %) and the CRPS over each series' own scale, with 80 % coverage within 75-85 %
(or nearer 80 % than without), and on 2005-2014, checked after, it is no worse on either.

A second measure, tried after the first failed, under the same rule declared before its run
(``--variants cpi``): a monthly-informed band's scale times (mean absolute month-on-month move of
the CPI's last twelve published months over that of its last ten years), clipped and square-rooted
as the annual factor: prices' own recent turbulence, which a July nowcast already sees in 2008 and
2022.

Measured (session 18; 164 countries, 1,436 projections on 1995-2004 and 1,582 on 2005-2014 at each
origin; Brier beside naive's and climatology's, CRPS over each series' scale beside naive's (a mean
of ratios, which a few series with errors far above their typical change dominate on 1995-2004),
80 % / 95 % coverage):

| made on | follow | 1995-2004 | 2005-2014 |
|---|---|---|---|
| 1 Feb. | no | 0.1221 (0.1571, 0.2015); 16.981 (19.682); 87 % / 97 % | 0.1275 (0.2024, 0.1748); 0.7457 (9.833); 82 % / 95 % |
| 1 Feb. | yes | 0.1209; 16.972; 87 % / 97 % | 0.1268; 0.7427; 83 % / 95 % |
| 1 July | no | 0.0885; 16.817; 91 % / 98 % | 0.0738; 0.4589; 84 % / 96 % |
| 1 July | yes | 0.0878; 16.812; 90 % / 98 % | 0.0739; 0.4613; 86 % / 97 % |
| 1 Feb. | cpi | 0.1209; 16.973; 88 % / 97 % | 0.1273; 0.7408; 82 % / 95 % |
| 1 July | cpi | 0.0871; 16.810; 91 % / 98 % | 0.0735; 0.4577; 85 % / 96 % |

The annual factor ("yes"): February passes; July does not (better on 1995-2004, a little worse on
both scores in 2005-2014). The CPI's own moves ("cpi"): July passes, and February passes on both
scores in both windows but its 1995-2004 coverage moves from 87.1 % to 87.5 %, away from 80 %, which
the rule forbids; declared for both origins together, it is not taken either, though the margin is
six forecasts in 1,436. So ``TURBULENT_MONTHLY`` stays off, and monthly-informed bands keep their
scale. On this panel the July bands cover 84-91 %, more than asked: the WAEMU's 72 % comes from
years when its eight members moved together, which neither a member's last three years nor,
by this rule, its prices' last twelve months were allowed to foresee. About eight minutes on two
cores a variant.

    .venv/bin/python benchmarks/monthly_turbulence.py [--months 2 7] [--workers 2]
"""

from __future__ import annotations

import argparse
import calendar
import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calibration_window import WINDOWS, report, scored, with_norm  # noqa: E402
from combination_rules import small_pools  # noqa: E402
from panel import PANEL, panel_store  # noqa: E402

from econ import bands, combine  # noqa: E402
from econ.forecast.evaluate import pool_backtest  # noqa: E402
from econ.schema import WAEMU  # noqa: E402
from econ.store import repository  # noqa: E402


def cpi_moves(month: int) -> dict[tuple[str, pd.Timestamp], float]:
    """Per country and origin (the 1st of ``month``): the mean absolute month-on-month move of 100 log
    CPI over the twelve months published by then (to two months before), over that of the last ten
    years: how turbulent prices have just been, as known at the origin."""
    panel = pd.read_csv(PANEL, dtype={"period": str})
    panel = panel[panel["indicator"] == "cpi"].dropna(subset=["value"])
    out = {}
    for country, rows in panel.groupby("country"):
        cpi = pd.Series(rows["value"].to_numpy(float), index=pd.PeriodIndex(rows["period"], freq="M")).sort_index()
        cpi = cpi[cpi > 0].asfreq("M")
        moves = (100 * np.log(cpi)).diff().abs()
        ratio = moves.rolling(12, min_periods=9).mean() / moves.rolling(120, min_periods=36).mean()
        for period, value in ratio.dropna().items():
            origin = (period + 2).to_timestamp()
            if origin.month == month:
                out[(country, origin)] = float(value)
    return out


def following_cpi_moves(moves: dict):
    """``econ.combine.turbulent`` with monthly-informed rows scaled by the CPI's last twelve months'
    moves (the same clip and power as the annual factor), the other rows as econ scales them."""
    real = combine.turbulent

    def turbulent(econ: pd.DataFrame, known: pd.DataFrame, monthly_record: bool) -> pd.DataFrame:
        out = real(econ, known, monthly_record)
        if out.empty:
            return out
        ratio = np.array([moves.get((s.split("/")[0], pd.Timestamp(o)), np.nan) for s, o in zip(out["series"], out["origin"])])
        monthly = out["monthly"].astype(bool).to_numpy() & np.isfinite(ratio)
        factor = np.where(monthly, np.clip(np.nan_to_num(ratio, nan=1.0), 0.5, 3.0) ** bands.TURBULENCE_POWER,
                          out["turbulence"].to_numpy(float))
        return out.assign(scale=out["scale"] / out["turbulence"] * factor, turbulence=factor)

    return turbulent


def variant(name: str, month: int):
    if name == "cpi":
        return mock.patch.object(combine, "turbulent", following_cpi_moves(cpi_moves(month)))
    return mock.patch.object(bands, "TURBULENT_MONTHLY", name == "yes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, nargs="+", default=[2, 7])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variants", nargs="+", default=["no", "yes"], choices=["no", "yes", "cpi"],
                        help="no: as econ; yes: the annual factor; cpi: the CPI's last twelve months' moves")
    args = parser.parse_args()
    if not PANEL.exists():
        print(f"skipped: {PANEL} is not here")
        return
    with tempfile.TemporaryDirectory() as tmp:
        engine = with_norm(panel_store(Path(tmp)))
        os.environ["ECON_HOME"] = tmp
        countries = sorted(set(repository.series(engine)["country"]) - set(WAEMU))
        keys = [(c, "inflation") for c in countries]
        print(f"{len(keys)} countries with a monthly CPI, pools of eight; the year's projection (lead 0); "
              "P(inflation > 3 %)")
        print("| made on | monthly bands follow | years | Brier (naive, climatology) | CRPS / scale (naive) "
              "| 80 % / 95 % cover | forecasts |")
        print("|---|---|---|---|---|---|---|")
        for month in args.months:
            started = time.perf_counter()
            candidates, _, reader = pool_backtest(engine, keys, WINDOWS[-1][1], origin_month=month,
                                                  workers=args.workers, start_year=1985)
            results = small_pools(list(candidates.values()), 8)
            print(f"(1 {calendar.month_name[month]} origins backtested in {time.perf_counter() - started:.0f} s)",
                  flush=True)
            for follow in args.variants:
                with variant(follow, month):
                    for years in WINDOWS:
                        report(f"1/{month} | {follow}", years, scored(results, reader, years))


if __name__ == "__main__":
    main()
