"""Every component id of the dashboard, in one place, so pages, callbacks and tests agree.

Controls whose value belongs in the URL (country, indicator, vintage, the compared members, the
gold path) use a pattern id
``{"type": "url-param", "key": ...}``: one clientside callback keeps the address bar and every
navigation link in step with them, whatever page they are on.
"""

from __future__ import annotations

import json

URL_PARAM = "url-param"
NAV_LINK = "nav-link"
LANG_LINK = "lang-link"


def dom_id(component_id: str | dict) -> str:
    """The ``id`` attribute Dash renders for a component id (pattern ids become sorted, compact JSON):
    what a ``<label for>`` must name."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def param(key: str) -> dict:
    return {"type": URL_PARAM, "key": key}


def nav_link(path: str) -> dict:
    return {"type": NAV_LINK, "page": path}


def lang_link(lang: str) -> dict:
    return {"type": LANG_LINK, "lang": lang}


# URL-bound controls
COUNTRY = param("country")
INDICATOR = param("indicator")
VINTAGE = param("vintage")
COUNTRIES = param("countries")  # the Compare page's members
GOLD = param("gold")  # the Scenarios page's gold path, as text: a hidden field the scenario callback fills

# shell
PAGE_LANG = "page-lang"  # dcc.Store: the language the page was rendered in
URL_SYNC = "url-sync"  # dcc.Store written by the clientside URL callback (a dummy output)
VIEWPORT = "viewport"  # dcc.Store: the window's width when narrow (phones get the compact chart)
MAIN = "main-content"

# overview
CARDS = "overview-cards"

# indicator
CHART = "indicator-chart"
CHART_ALT = "indicator-chart-alt"
MODELS = "indicator-models"
DOWNLOADS = "indicator-downloads"
CHART_CAPTION = "indicator-chart-caption"
MONTHLY = "indicator-monthly"
MONTHLY_CHART = "indicator-monthly-chart"
MONTHLY_ALT = "indicator-monthly-chart-alt"
MONTHLY_DOWNLOADS = "indicator-monthly-downloads"

# convergence
SCORECARD = "convergence-scorecard"

# compare
COMPARE_CHART = "compare-chart"
COMPARE_ALT = "compare-chart-alt"
COMPARE_DOWNLOADS = "compare-downloads"
COMPARE_NOTE = "compare-note"

# data
DATA_TABLE = "data-table"
DATA_COUNT = "data-count"
DATA_DOWNLOADS = "data-downloads"

# scenarios
GOLD_INPUT = "gold-path"
SCENARIO_INPUTS = "scenario-inputs"
SCENARIO_NOTE = "scenario-note"


def gold_input(period) -> dict:
    return {"type": GOLD_INPUT, "period": period}


SCENARIO_CHART = "scenario-chart"
SCENARIO_ALT = "scenario-chart-alt"
SCENARIO_RESET = "scenario-reset"
SCENARIO_DOWNLOADS = "scenario-downloads"

# analyst
TOKEN = "analyst-token"
SIGNIN = "analyst-signin"
SIGNOUT = "analyst-signout"
SIGNIN_STATUS = "analyst-status"
RERUN_PANEL = "rerun-panel"
RERUN_SCOPE = "rerun-scope"
RERUN = "rerun-button"
RERUN_CANCEL = "rerun-cancel"
RERUN_TICKET = "rerun-ticket"
RERUN_PROGRESS = "rerun-progress"
RERUN_PROGRESS_LABEL = "rerun-progress-label"
RERUN_RESULT = "rerun-result"

# data page
DATA_SEARCH = "data-search"
DATA_SORT = "data-sort"  # dcc.Store: {"col": index, "asc": bool}
SORT_BUTTON = "sort-button"


def sort_button(col: int) -> dict:
    return {"type": SORT_BUTTON, "col": col}
