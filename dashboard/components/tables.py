"""Plain HTML tables (captioned, with header scopes) and the download links of a view.

HTML tables rather than grids where the data are small: a screen reader walks them cell by
cell, they print, and they reflow at 375 px inside their own scroll box, the first column kept in
view and a cue saying that more columns (the projections) are a swipe away.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
from dash import get_relative_path, html

from dashboard.components.cards import STATUS_ICONS, status_text
from econ.i18n import N_, fmt_number, fmt_percent, fmt_period, t
from econ.terms import model_description, model_name

CHART_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx")
VERDICTS = {"benchmark": N_("référence"), "better": N_("meilleur que le naïf"), "worse": N_("moins bon que le naïf"),
            "no significant difference": N_("pas de différence significative")}


def table(caption: str, headers: list[str], rows: list[list], row_headers: bool = True, class_name: str = "",
          cue: str | None = None) -> html.Div:
    """A captioned table in a scroll box; the first cell of each row is its header when ``row_headers``.
    ``cue``: a line, shown on narrow screens, saying the table scrolls sideways."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in headers]))
    body = html.Tbody([
        html.Tr([html.Th(c, scope="row") if (i == 0 and row_headers) else _td(c) for i, c in enumerate(row)])
        for row in rows
    ])
    # The caption is shown above the scroll box (a caption is as wide as its table and would scroll away
    # on a phone); the table keeps it for screen readers.
    return html.Div([
        html.P(caption, className="caption", **{"aria-hidden": "true"}),
        *([html.P(cue, className="scroll-cue")] if cue else []),
        html.Div(html.Table([html.Caption(caption, className="sr-only"), head, body],
                            className=f"table {class_name}".strip()),
                 className="table-scroll", tabIndex="0", role="region", **{"aria-label": caption}),
    ])


def _td(cell) -> html.Td:
    return cell if isinstance(cell, html.Td) else html.Td(cell)


def models_table(models: pd.DataFrame, lang: str) -> html.Div:
    """Each candidate of the projection (econ's own first, then by accuracy), with its weight, its
    real-time record against the naive forecast, and a Diebold-Mariano verdict on it."""
    if models.empty:
        return html.P(t("Aucun modèle enregistré pour cette projection.", lang))
    headers = [t("Candidat", lang), t("Ce qu'il fait", lang), t("Poids", lang), t("Prévisions notées", lang),
               t("MASE (naïf = 1)", lang), t("Erreur absolue moyenne", lang), t("Face au naïf", lang)]
    ordered = models.assign(order=pd.to_numeric(models["mase"], errors="coerce"), first=~models["chosen"])
    ordered = ordered.sort_values(["first", "order"], kind="stable")
    rows = []
    for m in ordered.to_dict("records"):
        weight = None if m["weight"] is None or pd.isna(m["weight"]) else 100 * m["weight"]
        name = model_name(m["model"], lang)
        label = [html.Strong(name), " " + t("(projection retenue)", lang)] if m["chosen"] else name
        verdict = VERDICTS.get(m["versus_naive"] or "")
        rows.append([label, model_description(m["model"], lang), _maybe(fmt_percent, weight, lang, 0),
                     "–" if m["n"] is None or pd.isna(m["n"]) else str(int(m["n"])),
                     _maybe(fmt_number, m["mase"], lang, 2), _maybe(fmt_number, m["mae"], lang, 2),
                     t(verdict, lang) if verdict else ""])
    caption = t("Précision en temps réel : chaque prévision passée a été faite avec les données publiées à sa date, "
                "et ses poids et bandes avec les seules erreurs connues alors. Un candidat n'a de poids qu'après "
                "huit erreurs au moins qui battent la prévision naïve au-delà du hasard, comptées sur toutes les "
                "séries de son groupe (pour les années plus lointaines, un candidat retenu pour une année plus "
                "proche n'a besoin que d'y battre la prévision naïve) ; les colonnes suivantes donnent son bilan "
                "sur cette seule série. Verdict : test de Diebold-Mariano corrigé (Harvey, Leybourne et Newbold), "
                "au seuil de 10 %.", lang)
    out = [table(caption, headers, rows, class_name="numeric models")]
    weighted = models[models["weight"].notna() & (models["weight"] > 0)]
    if set(weighted["model"]) <= {"naive"}:
        out.insert(0, html.P(t("Aucun candidat n'a encore battu la prévision naïve de façon significative : la "
                               "projection est donc la prévision naïve.", lang), className="note"))
    return html.Div(out)


def _maybe(fmt, value, lang, decimals):
    return "–" if value is None or pd.isna(value) else fmt(value, lang, decimals)


def scorecard_tables(cells: pd.DataFrame, labels: dict[str, str], officials: dict, lang: str) -> list:
    """One table per criterion: countries down, observed then projected years across; each projected cell
    holds econ's projection, its probability of breach and 80 % band, and the IMF's and the national
    authorities' figures for that year."""
    out = []
    for code, group in observed_first(cells).groupby("norm_code", sort=False):
        periods = sorted(group["period"].unique())
        kinds = group.groupby("period")["kind"].agg(_column_kind)
        headers = [t("Pays", lang)] + [_year_header(p, kinds[p], lang) for p in periods]
        rows = []
        for country, row_cells in group.groupby("country", sort=False):
            by_period = row_cells.set_index("period")
            rows.append([row_cells["country_name"].iloc[0]] +
                        [_status_cell(by_period, p, officials.get((country, _indicator(row_cells), p), []), lang,
                                      kinds[p])
                         for p in periods])
        cue = t("Faites glisser le tableau vers la gauche pour voir les projections →", lang)
        out.append(table(labels.get(code, code), headers, rows, class_name="scorecard", cue=cue))
    return out


def observed_first(cells: pd.DataFrame) -> pd.DataFrame:
    """One cell per country, criterion and year: once a year's figure is published it replaces the projection
    the latest run made for that year (the run came before the figure), so the cell shows what happened."""
    projected = (cells["kind"] != "actual").rename("projected")
    order = cells.assign(projected=projected).sort_values("projected", kind="stable")
    return order.drop_duplicates(["country", "norm_code", "period"]).drop(columns="projected").sort_index()


def _column_kind(kinds: pd.Series) -> str:
    """A year is headed ``observé`` once every country has its figure; until then it stays a projection year."""
    return "actual" if (kinds == "actual").all() else "projection"


def _year_header(period: str, kind: str, lang: str) -> list:
    """``2025`` over ``projection`` (two short lines keep the columns narrow enough for a phone)."""
    word = t("observé", lang) if kind == "actual" else t("projection", lang)
    return [fmt_period(period, lang), html.Br(), html.Span(word, className="kind")]


def _indicator(cells: pd.DataFrame) -> str:
    return str(cells["indicator"].iloc[0]) if "indicator" in cells else ""


def _status_cell(by_period: pd.DataFrame, period: str, official: list[str], lang: str,
                 column_kind: str = "actual") -> html.Td:
    if period not in by_period.index:
        return html.Td("–")
    cell = by_period.loc[period]
    content = [html.Span(STATUS_ICONS[cell["status"]], className="icon", **{"aria-hidden": "true"}), " ",
               cell["text"], html.Span(f" — {status_text(cell['status'], lang)}", className="sr-only")]
    if cell.get("band"):
        content.append(html.Span(t("80 % : {band}", lang, band=cell["band"]), className="band"))
    if cell["kind"] == "projection":
        content += [html.Span(text, className="official") for text in official]
    elif column_kind != "actual":  # an observed figure in a year still projected for other countries
        content.append(html.Span(t("observé", lang), className="band observed"))
    return html.Td(content, className=f"status-{cell['status']}")


def download_links(country: str, indicator: str, lang: str, vintage: str | None, formats=CHART_FORMATS + DATA_FORMATS,
                   extra: dict | None = None, label_id: str = "downloads-label"):
    """Links to ``/download/chart`` and ``/download/data``: the same figure, as files (``extra``: more query
    arguments, such as the Scenarios page's ``gold`` path or the Compare page's ``countries``)."""
    query = {"country": country, "indicator": indicator, "lang": lang, **({"as_of": vintage} if vintage else {}),
             **(extra or {})}
    links = []
    for fmt in formats:
        kind = "chart" if fmt in CHART_FORMATS else "data"
        href = get_relative_path(f"/download/{kind}") + "?" + urlencode({**query, "format": fmt})
        text = t("Graphique", lang) if kind == "chart" else t("Données", lang)
        links.append(html.Li(html.A([html.Span(f"{text} ", className="sr-only"), fmt.upper()], href=href, download="",
                                    className="button", **{"data-format": fmt})))
    return html.Div([html.Span(t("Télécharger", lang), className="label", id=label_id),
                     html.Ul(links, className="downloads", **{"aria-labelledby": label_id})])
