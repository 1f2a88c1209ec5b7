"""The words around a chart, in the reader's language: title, units, norm, run, provenance, description."""

from __future__ import annotations

from econ.chart_text import plotly_text
from econ.charts.view import IndicatorView
from econ.i18n import (
    capitalized,
    colon,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_probability,
    lang_or_default,
    semicolon,
    t,
    tn,
)
from econ.store.runs import ECON, MONTHLY_MODEL
from econ.terms import (
    country_name,
    fmt_value,
    indicator_label,
    model_name,
    publisher_name,
    source_text,
    unit_label,
)


def title(view: IndicatorView, lang: str = "fr") -> str:
    return f"{indicator_label(view.indicator, lang)} — {country_name(view.country, lang)}"


def unit_text(indicator: str, lang: str = "fr") -> str:
    return t("En {unit}", lang, unit=unit_label(indicator, lang))


def norm_label(norm: dict, indicator: str, lang: str = "fr") -> str:
    """``Norme UEMOA 3 % (plafond)``: short enough for a legend entry."""
    waemu = str(norm["code"]).startswith("waemu")
    threshold = float(norm["threshold"])
    decimals = 0 if threshold.is_integer() else 1
    unit = unit_label(indicator, lang)
    value = fmt_percent(threshold, lang, decimals) if unit == "%" else f"{fmt_number(threshold, lang, decimals)}\u00a0{unit}"
    ceiling = norm["comparison"] in ("<=", "<")
    if waemu:
        text = t("Norme UEMOA {value} (plafond)", lang, value=value) if ceiling else \
            t("Norme UEMOA {value} (plancher)", lang, value=value)
    else:
        text = t("Norme {value} (plafond)", lang, value=value) if ceiling else t("Norme {value} (plancher)", lang, value=value)
    return text


def run_text(view, lang: str = "fr") -> str:
    behind = getattr(view, "cpi_behind", None)  # a monthly chart whose run left the monthly models out
    if view.run is None and behind:
        return t("pas de projection mensuelle, l'IPC s'arrêtant en {month}, avant {year}", lang,
                 month=fmt_period(behind["cpi_end"], lang), year=behind["last_year"])
    if view.run is None:
        return t("aucune projection enregistrée", lang)
    date = fmt_date(view.run["created_at"], lang)
    if view.run["model"] in (ECON, MONTHLY_MODEL):  # "model: econ projection" ("model: monthly model") adds nothing
        return t("exécution n°{id} du {date}", lang, id=view.run["id"], date=date)
    return t("exécution n°{id} du {date}, modèle {model}", lang, id=view.run["id"], date=date,
             model=model_name(view.run["model"], lang))


def newer_text(view, lang: str = "fr") -> str | None:
    """Under a chart: the figures loaded after the run that drew its projection, which it did not read."""
    newer = getattr(view, "newer_data", None)
    if not newer:
        return None
    return tn("{n} chiffre chargé le {date}, après cette exécution, n'y est pas pris en compte",
              "{n} chiffres chargés jusqu'au {date}, après cette exécution, n'y sont pas pris en compte",
              newer["figures"], lang, date=fmt_date(newer["last"], lang))


def newer_notice(view, lang: str = "fr") -> str | None:
    """On the page: the same, with what to do about it."""
    newer = getattr(view, "newer_data", None)
    if not newer or view.run is None:
        return None
    return tn("{n} chiffre ({country}) a été chargé le {date}, après l'exécution n°{id} qui a fait cette projection : "
              "elle ne le prend pas en compte. Relancez la prévision (econ forecast, ou l'espace analyste) pour l'y "
              "intégrer.",
              "{n} chiffres ({country}) ont été chargés jusqu'au {date}, après l'exécution n°{id} qui a fait cette "
              "projection : elle ne les prend pas en compte. Relancez la prévision (econ forecast, ou l'espace "
              "analyste) pour les y intégrer.",
              newer["figures"], lang, country=country_name(view.country, lang), date=fmt_date(newer["last"], lang),
              id=view.run["id"])


def no_projection_text(view: IndicatorView, lang: str = "fr") -> str:
    """Why a series has no projection, in a sentence a reader can act on."""
    why = view.no_projection or {"reason": "no_run"}
    gaps = view.missing_periods()
    if why["reason"] == "unknown_then" and why.get("dated"):
        return t("Aucun chiffre connu à cette date : la première publication de cette série dans la base date du "
                 "{date}.", lang, date=fmt_date(why["first"], lang))
    if why["reason"] == "unknown_then":
        return t("Aucun chiffre connu à cette date : la base a reçu cette série le {date} (un chiffre chargé sans date "
                 "de publication est connu du jour de son chargement ; une colonne « published » le date).", lang,
                 date=fmt_date(why["first"], lang))
    if why["reason"] == "no_run":
        return t("Pas de projection : aucune exécution de prévision n'a encore eu lieu.", lang)
    if why["reason"] == "skipped" and gaps:
        shown = ", ".join(fmt_period(p, lang) for p in gaps[:6]) + ("…" if len(gaps) > 6 else "")
        return t("Pas de projection : la série a des années manquantes ({years}), et l'exécution n°{id} l'a écartée.",
                 lang, years=shown, id=why["run"])
    if why["reason"] == "outdated":
        return t("Pas de projection : l'exécution n°{id} ne projette que des années déjà observées ; une exécution "
                 "plus récente (econ forecast, ou --as-of pour une date passée) en donnera une.", lang, id=why["run"])
    if why["reason"] == "skipped":
        return t("Pas de projection : l'exécution n°{id} a écarté cette série (trop courte, ou aucun modèle n'a pu "
                 "être estimé).", lang, id=why["run"])
    return t("Pas de projection : la dernière exécution (n°{id}) ne couvrait pas cette série.", lang, id=why["run"])


def sources_line(sources: list[str], lang: str) -> str:
    sep = colon(lang)
    shown = [plotly_text(_shorten(source_text(s, lang))) for s in sources[:2]] or ["–"]
    more = len(sources) - len(shown)
    if more > 0:
        shown[-1] += f" (+{more})"
    head = t("Sources", lang) if len(sources) > 1 else t("Source", lang)
    return f"{head}{sep}{semicolon(lang).join(shown)}"


def source_lines(view, lang: str = "fr") -> list[str]:
    """The provenance printed under the chart: sources, official publishers, data vintage, run."""
    officials = ", ".join(dict.fromkeys(plotly_text(publisher_name(p, lang)) for p in view.official["publisher"]))
    last = t("Données au {date}", lang, date=fmt_date(view.vintage, lang)) + " · " + \
        t("Projection : {run}", lang, run=run_text(view, lang))
    if officials:
        last = t("Projections officielles : {publishers}", lang, publishers=officials) + f" · {last}"
    newer = newer_text(view, lang)
    return [sources_line(view.sources, lang), last] + ([capitalized(newer)] if newer else [])


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(view: IndicatorView, lang: str = "fr") -> str:
    """A sentence for screen readers and the chart's text alternative: the numbers a sighted reader takes away."""
    lang = lang_or_default(lang)
    sep = colon(lang)
    parts = [title(view, lang) + "."]
    latest = view.latest()
    if latest is None and view.known_later:
        parts.append(no_projection_text(view, lang))
    if latest:
        parts.append(t("Dernière valeur ({period}) : {value}.", lang, period=fmt_period(latest[0], lang),
                       value=fmt_value(view.indicator, latest[1], lang)))
    gaps = view.missing_periods()
    if gaps:
        parts.append(t("Années sans donnée : {years}.", lang, years=", ".join(fmt_period(p, lang) for p in gaps)))
    if not view.projection.empty:
        last = view.projection.iloc[-1]
        parts.append(t("Projection {period} : {value} (intervalle à 80 % : {low} – {high}).", lang,
                       period=fmt_period(last["period"], lang), value=fmt_value(view.indicator, last["mean"], lang),
                       low=fmt_value(view.indicator, last["lower_80"], lang),
                       high=fmt_value(view.indicator, last["upper_80"], lang)))
    breach = view.next_breach()
    if breach:
        parts.append(t("Risque de dépassement en {period} : {p}.", lang, period=fmt_period(breach[0], lang),
                       p=fmt_probability(breach[1], lang)))
    if view.norm:
        parts.append(norm_label(view.norm, view.indicator, lang) + ".")
    for row in view.official.itertuples():
        parts.append(f"{publisher_name(row.publisher, lang)} ({fmt_date(row.published, lang)}), "
                     f"{fmt_period(row.target_period, lang)}{sep}{fmt_value(view.indicator, row.value, lang)}.")
    return " ".join(parts)
