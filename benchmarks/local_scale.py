"""Bands scaled by the series' recent turbulence, checked away from the WAEMU before any use.

econ's bands are the projection plus the series' scale (its median absolute one-year change over
twenty years) times pooled scaled errors (``econ/bands.py``). After a price spike the scale hardly
moves, so the band stays as narrow as in calm years, and with the point forecast still at the
naive one the breach probability is near certain: after 2008 econ gave the WAEMU members 0.92 on
average for 2009, and none breached. A locally adaptive band (conformal prediction with a local
scale) multiplies the scale by how turbulent the series has just been:

    factor = clip(recent / scale, 1/2, 3) ** gamma,   recent = mean |change| of the last three known years

with the errors of later origins standardised by the same local scale, so that the pooled shape
stays calibrated on average and only the relative width moves. The same factor narrows the band
after calm years, which is the risk: 2008 came after calm ones.

The rule was declared before the run, as for the calibration window (``calibration_window.py``):
a variant replaces econ's bands only if, on the World Bank panel without the WAEMU, as annual data
alone, in pools of eight, one year ahead, on 1995-2004 it has a lower Brier score of P(inflation >
3 %) and a lower CRPS over each series' (unadjusted) scale, with 80 % coverage within 75-85 %, and
on 2005-2014, checked after, it is no worse on either. Two variants only (gamma 1/2 and 1).

Measured (session 18; 164 countries, 685 forecasts on 1995-2004 and 1,235 on 2005-2014; Brier beside
naive's and climatology's, CRPS over each series' own scale beside naive's, 80 % / 95 % coverage):

| power | 1995-2004 | 2005-2014 |
|---|---|---|
| 0 (before) | 0.1424 (0.1583, 0.2623); 0.6757 (0.8526); 83 % / 96 % | 0.1899 (0.1856, 0.1821); 1.1551 (1.2716); 74 % / 90 % |
| 1/2 | 0.1404; 0.6736; 84 % / 96 % | 0.1876; 1.1457; 75 % / 92 % |
| 1 | 0.1407; 0.6801; 85 % / 97 % | 0.1857; 1.1494; 77 % / 94 % |

The power 1/2 passes the rule (lower Brier and CRPS on 1995-2004, 80 % coverage within 75-85 %,
better on both in 2005-2014) and is econ's (``econ.bands.TURBULENCE_POWER``); the power 1 has a
higher CRPS on 1995-2004. On 2005-2014 econ's breach probabilities still score a little worse
than naive's (0.1876 against 0.1856) and climatology's (0.1821) on this panel. About six minutes.

Checked after, further ahead (``--lead 1`` and ``--lead 2``: the two following years), powers 0 and 1/2:

| lead | power | 1995-2004 | 2005-2014 |
|---|---|---|---|
| 1 | 0 | 0.1817 (0.1877, 0.2934); 0.8492 (1.1003); 82 % / 95 % | 0.2230 (0.2125, 0.1890); 1.3929 (1.5922); 69 % / 91 % |
| 1 | 1/2 | 0.1810; 0.8428; 83 % / 95 % | 0.2208; 1.3830; 70 % / 92 % |
| 2 | 0 | 0.1994 (0.2047, 0.3222); 0.9087 (1.2449); 85 % / 94 % | 0.1953 (0.1980, 0.1961); 1.2703 (1.6815); 76 % / 94 % |
| 2 | 1/2 | 0.1969; 0.9048; 86 % / 95 % | 0.1935; 1.2652; 76 % / 95 % |

The factor, one per series and origin, helps at every lead: lower Brier and CRPS in both windows.

    .venv/bin/python benchmarks/local_scale.py [--gammas 0 0.5 1] [--lead 0] [--workers 2]
"""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calibration_window import scored as window_scores, sweep  # noqa: E402

from econ import bands  # noqa: E402


def scored(results: list, reader, years: tuple[int, int], power: float) -> dict:
    """The variant's scores (``calibration_window.scored``: CRPS over each series' own, unadjusted scale)."""
    with mock.patch.object(bands, "TURBULENCE_POWER", power):
        return window_scores(results, reader, years)


def main() -> None:
    sweep(__doc__, "gammas", [0.0, 0.5, 1.0], "gamma", scored)


if __name__ == "__main__":
    main()
