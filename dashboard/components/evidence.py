"""Why the projection is what it is: what it is made of, how it has done in real time, and how it
compares with the official forecasters on matched information.

Everything here is read from the stored run (weights, explanation, nested scores): nothing is
fitted or recomputed in a request.
"""

from __future__ import annotations

from dash import html

from dashboard.components.tables import table
from econ.backtest import NAIVE
from econ.charts.labels import newer_notice
from econ.i18n import N_, fmt_number, fmt_percent, fmt_period, fmt_probability, semicolon, t, tn
from econ.schema import WAEMU
from econ.terms import fmt_value, model_name, publisher_name

OFFICIAL = "official:IMF"
RELEASES = {"known": N_("publiée avant la prévision d'econ (un de ses candidats)"),
            "next release": N_("sa publication suivante (information comparable)")}
AGAINST = {"better": N_("econ plus précis"), "worse": N_("econ moins précis"),
           "no significant difference": N_("pas de différence significative")}


def evidence(view, lang: str) -> list:
    """The paragraphs and the table under the models: why, how well, against whom."""
    if view.projection is None or view.projection.empty:
        return []
    out = [html.H2(t("Pourquoi cette projection", lang))]
    paragraphs = (newer_notice(view, lang), composition(view, lang), later_years(view, lang), monthly_left_out(view, lang),
                  versus_imf(view, lang), track_record(view, lang), band_origin(view, lang))
    out += [html.P(p) for p in paragraphs if p]
    tables = (reliability_table(view.skill, lang), official_table(view.official_skill, lang))
    return out + [t_ for t_ in tables if t_ is not None]


def composition(view, lang: str) -> str | None:
    """``Projection 2026 : 4,6 % = 45 % × FMI (4,9 %) + 55 % × Autorégression (4,4 %).``"""
    year = str(view.projection["period"].iloc[0])
    made = view.explain.get(year)
    if not made or not made.get("parts"):
        return None
    return " ".join([_made_of(view, year, made, lang), *_union_moves(view, made, lang)])


def _union_moves(view, made: dict, lang: str) -> list[str]:
    moved = [p for p in made["parts"] if p.get("share")]
    if not moved:
        return []
    value = lambda v: fmt_value(view.indicator, v, lang)  # noqa: E731
    moves = semicolon(lang).join(t("{model} : {own} → {moved} ({share} du chemin vers la moyenne des membres, {union})", lang,
                        model=model_name(p["candidate"], lang), own=value(p["own"]), moved=value(p["forecast"]),
                        share=fmt_percent(100 * p["share"], lang, 0), union=value(p["union"])) for p in moved)
    return [t("Inflation d'une union monétaire : chaque modèle est rapproché de sa projection moyenne pour "
              "les membres, autant que ses erreurs passées le justifiaient. {moves}.", lang, moves=moves)]


def _made_of(view, year: str, made: dict, lang: str) -> str:
    parts = " + ".join(f"{fmt_percent(100 * p['weight'], lang, 0)} × {model_name(p['candidate'], lang)} "
                       f"({fmt_value(view.indicator, p['forecast'], lang)})" for p in made["parts"])
    return t("Projection {year} : {value} = {parts}.", lang, year=year,
             value=fmt_value(view.indicator, made["econ"], lang), parts=parts)


def later_years(view, lang: str) -> str | None:
    """Each later year whose candidates are not the year before's, said as the first year is. A
    year farther out is weighed on the record of projections made that far ahead: where no
    candidate has beaten the naive forecast there, the path goes back to the last figure known
    (Zimbabwe's inflation, projected in July 2021: 113 % for 2021, 85 % for 2022, then 557 %,
    2020's figure), and the reader is told why rather than left to guess."""
    said, before = [], None
    for period in view.projection["period"].astype(str):
        made = view.explain.get(period)
        if not made or not made.get("parts"):
            continue
        names = {p["candidate"] for p in made["parts"]}
        if before is not None and names != before:
            if names == {NAIVE}:
                said.append(t("En {year}, la projection est la prévision naïve, {value} (le dernier chiffre connu) : "
                              "aussi loin, aucun autre candidat ne l'a battue sur les erreurs connues à la date de la "
                              "projection.", lang, year=period, value=fmt_value(view.indicator, made["econ"], lang)))
            else:
                said.append(_made_of(view, period, made, lang))
        before = names
    return " ".join(said) or None


def monthly_left_out(view, lang: str) -> str | None:
    """Why a country with a monthly CPI has no monthly model in its projection: the CPI stops before
    the last year with an annual figure (a database loaded once, never refreshed)."""
    gap = view.cpi_behind
    if not gap:
        return None
    return t("Les modèles mensuels ne sont pas utilisés : l'IPC mensuel s'arrête en {month}, avant {year}, dernière "
             "année dont le chiffre annuel est connu. Ils projetteraient une année déjà connue à partir de prix plus "
             "anciens que ceux des modèles annuels. Chargez un IPC plus récent (econ fetch imf-cpi).", lang,
             month=fmt_period(gap["cpi_end"], lang), year=gap["last_year"])


def versus_imf(view, lang: str) -> str | None:
    """Where econ and the IMF's latest projection of the same year differ, why (the weights)."""
    year = str(view.projection["period"].iloc[0])
    imf = view.official[(view.official["publisher"] == "IMF") & (view.official["target_period"].astype(str) == year)]
    made = view.explain.get(year)
    if imf.empty or not made:
        return None
    weights = {p["candidate"]: p["weight"] for p in made.get("parts", [])}
    values = {"year": year, "imf": fmt_value(view.indicator, imf["value"].iloc[-1], lang),
              "econ": fmt_value(view.indicator, made["econ"], lang)}
    if OFFICIAL in weights:
        others = [model_name(c, lang) for c in weights if c != OFFICIAL]
        if not others:
            return t("Pour {year}, le FMI projette {imf} et econ {econ} : econ donne tout le poids au FMI, dont le "
                     "bilan en temps réel a battu la prévision naïve au-delà du hasard.", lang, **values)
        return t("Pour {year}, le FMI projette {imf} et econ {econ} : econ donne {weight} de poids au FMI, et le "
                 "reste à {others}, dont le bilan en temps réel a battu la prévision naïve.", lang, **values,
                 weight=fmt_percent(100 * weights[OFFICIAL], lang, 0), others=", ".join(others))
    record = view.models[view.models["model"] == OFFICIAL]
    if len(record) and record["n"].iloc[0] and record["n"].iloc[0] >= 8:
        return t("Pour {year}, le FMI projette {imf} et econ {econ} : les projections passées du FMI n'ont pas "
                 "battu la prévision naïve au-delà du hasard, econ ne leur donne donc pas de poids.", lang, **values)
    return t("Pour {year}, le FMI projette {imf} et econ {econ} : econ ne donne de poids aux projections du FMI "
             "qu'après huit erreurs connues au moins, et il n'en a pas encore assez.", lang, **values)


def track_record(view, lang: str) -> str | None:
    """How the same projection did in real time on the years gone by."""
    skill = view.skill or {}
    if not skill.get("n"):
        return None
    text = t("En temps réel, sur {n} années passées, cette projection s'est trompée de {mae} en moyenne, soit {mase} "
             "fois l'erreur de la prévision naïve ; ses bandes à 80 % ont contenu {coverage} des résultats.", lang,
             n=skill["n"], mae=fmt_number(skill.get("mae"), lang, 2), mase=fmt_number(skill.get("mase"), lang, 2),
             coverage=fmt_probability(skill.get("coverage_80"), lang))
    if skill.get("brier") is not None and skill.get("brier_naive") is not None:
        text += " " + t("Score de Brier du risque de dépassement de la norme : {brier} (prévision naïve : {naive}, "
                        "fréquence historique : {climate} ; plus bas est meilleur).", lang,
                        brier=fmt_number(skill["brier"], lang, 3), naive=fmt_number(skill["brier_naive"], lang, 3),
                        climate=fmt_number(skill.get("brier_climate"), lang, 3))
    longer = current_year_record(skill, lang)
    return f"{text} {longer}" if longer else text


def current_year_record(skill: dict, lang: str) -> str | None:
    """The longer record beside a short one: a projection of last year made before its figure is out
    has been scored only since publication dates are known (a handful of years); the projection of
    the current year made early in the year has been scored on every backtest year."""
    current = skill.get("current_year") or {}
    if skill.get("lead") in (0, "0") or not current.get("n") or current["n"] <= skill.get("n", 0):
        return None
    return t("La projection de l'année en cours faite en début d'année a un bilan plus long : sur {n} années, une "
             "erreur moyenne de {mae}, soit {mase} fois celle de la prévision naïve.", lang, n=current["n"],
             mae=fmt_number(current.get("mae"), lang, 2), mase=fmt_number(current.get("mase"), lang, 2))


def band_origin(view, lang: str) -> str | None:
    """Where the first year's 95 % band comes from, so that a wide one is read for what it is: the size
    of econ's own past errors (or the naive forecast's spread, before there are enough of them)."""
    first = view.projection.iloc[0]
    year = str(first["period"])
    lead = str((view.explain.get(year) or {}).get("lead", 0))
    info = view.calibration.get(lead)
    if not info:
        return None
    values = {"year": year, "low": fmt_value(view.indicator, first["lower_95"], lang),
              "high": fmt_value(view.indicator, first["upper_95"], lang), "level": fmt_percent(95, lang, 0)}
    if info.get("source") != "pooled errors":
        return t("La bande à {level} de {year} ({low} à {high}) est celle de la prévision naïve (le dernier chiffre, "
                 "avec la dispersion de ses variations annuelles) : econ n'a pas encore assez d'erreurs passées à "
                 "cet horizon pour calibrer la sienne.", lang, **values) + cut_text(view, info, first, lang)
    if view.pool_series == 1:
        text = t("La bande à {level} de {year} ({low} à {high}) est tirée des erreurs passées d'econ à cet horizon : "
                 "{n} erreurs, toutes sur cette série, la base ne contenant aucune série comparable. Chargez les "
                 "chiffres des pays voisins : leurs erreurs s'ajouteront aux siennes pour les poids et les bandes.",
                 lang, **values, n=info["errors"])
        return text + turbulence_text(info, lang) + _wider_than_history(view, first, lang, alone=True) + \
            cut_text(view, info, first, lang)
    group = t("membres de l'UEMOA", lang) if view.country in WAEMU else t("autres pays suivis", lang)
    text = t("La bande à {level} de {year} ({low} à {high}) est tirée des erreurs passées d'econ à cet horizon : {n} "
             "erreurs, dont {own} sur cette série et les autres sur celles du même groupe ({group}), chacune "
             "rapportée à la variation annuelle typique de sa série.", lang, **values, n=info["errors"],
             own=info["own_errors"], group=group)
    return text + turbulence_text(info, lang) + _wider_than_history(view, first, lang) + cut_text(view, info, first, lang)


def turbulence_text(info: dict, lang: str) -> str:
    """How the series' last three years set the band's scale (``econ.bands.turbulence``), when they did."""
    factor = info.get("turbulence") or 1.0
    if abs(factor - 1) < 0.05:
        return ""
    shown = fmt_number(factor, lang, 2)
    if factor > 1:
        return " " + t("Les trois dernières années de la série ont bougé plus que d'ordinaire : l'échelle de la bande "
                       "est multipliée par {factor}.", lang, factor=shown)
    return " " + t("Les trois dernières années de la série ont été plus calmes que d'ordinaire : l'échelle de la bande "
                   "est multipliée par {factor}.", lang, factor=shown)


def cut_text(view, info: dict, first, lang: str) -> str:
    """Said when the band reaches its cut (``econ.bands.spans``): no further from the projection, on
    either side, than the series' highest and lowest figures of twenty years are from each other."""
    span = info.get("span")
    reach = max(first["upper_95"] - first["mean"], first["mean"] - first["lower_95"])
    if not span or reach < span * (1 - 1e-9):
        return ""
    return " " + t("Elle s'arrête à {span} de part et d'autre de la projection, l'écart entre le plus haut et le "
                   "plus bas chiffre de la série en vingt ans : des erreurs plus grandes, venues d'autres séries du "
                   "groupe ou d'années lointaines, ne lui sont pas prêtées.", lang,
                   span=fmt_value(view.indicator, span, lang))


def _wider_than_history(view, first, lang: str, alone: bool = False) -> str:
    """A band wider than the last twenty years' whole range is said to be so, with the errors behind it."""
    recent = view.history["value"].tail(20)
    if len(recent) < 2 or first["upper_95"] - first["lower_95"] <= recent.max() - recent.min():
        return ""
    span = {"low": fmt_value(view.indicator, recent.min(), lang), "high": fmt_value(view.indicator, recent.max(), lang)}
    if alone:
        return " " + t("Elle est plus large que tout l'écart des vingt dernières années ({low} à {high}) : des "
                       "erreurs de cette taille ont eu lieu sur cette série.", lang, **span)
    return " " + t("Elle est plus large que tout l'écart des vingt dernières années ({low} à {high}) : des "
                   "erreurs de cette taille ont eu lieu dans le groupe.", lang, **span)


def reliability_table(skill: dict | None, lang: str):
    """The breach probabilities by how high they were, beside how often the norm was then breached:
    a 30 % that comes true one time in ten is not a 30 %."""
    bins = [b for b in (skill or {}).get("reliability") or [] if b.get("n")]
    if not bins:
        return None
    headers = [t("Probabilité annoncée", lang), t("Prévisions", lang), t("En moyenne", lang),
               t("Norme dépassée", lang)]
    rows = [[_bin(b["bin"], lang), str(b["n"]), fmt_probability(b["forecast"], lang),
             fmt_probability(b["observed"], lang)] for b in bins]
    caption = t("Fiabilité des probabilités de dépassement de la norme de cette même projection, en temps réel, sur "
                "{n} années : quand econ annonçait un risque dans cette tranche, la norme a ensuite été dépassée aussi "
                "souvent que l'indique la dernière colonne.", lang, n=sum(b["n"] for b in bins))
    return table(caption, headers, rows, class_name="numeric reliability")


def _bin(label: str, lang: str) -> str:
    """``20%-40%`` in the reader's conventions: ``20 à 40 %``, ``20 to 40%``, ``20 a 40%``."""
    low, high = (float(x.strip("%")) for x in label.split("-"))
    return t("{low} à {high}", lang, low=fmt_number(low, lang, 0), high=fmt_percent(high, lang, 0))


def official_table(entries: list[dict], lang: str):
    """Econ against each official forecaster, on the same years and comparable information."""
    if not entries:
        return None
    headers = [t("Prévisionniste", lang), t("Projection comparée", lang), t("Horizon", lang),
               t("Prévisions", lang), t("Son erreur moyenne", lang), t("Erreur moyenne d'econ", lang),
               t("Verdict (Diebold-Mariano)", lang)]
    rows = [[publisher_name(e["publisher"], lang), t(RELEASES.get(e.get("release", "known"), ""), lang),
             horizon(e["lead"], lang), str(e["n"]), fmt_number(e["mae"], lang, 2), fmt_number(e["econ_mae"], lang, 2),
             t(AGAINST.get(e["verdict"], e["verdict"]), lang)]
            for e in sorted(entries, key=lambda e: (e["publisher"], e["lead"], e.get("release", "")))]
    caption = t("econ face aux prévisionnistes officiels, sur les mêmes années : la projection d'econ faite à une "
                "date, contre la dernière projection publiée avant cette date, et contre la suivante, faite avec des "
                "données au moins aussi récentes que celles d'econ.", lang)
    return table(caption, headers, rows, class_name="numeric official-skill")


def horizon(lead: int, lang: str) -> str:
    if lead < 0:
        return t("année précédente", lang)
    return t("année en cours", lang) if lead == 0 else tn("{n} an plus tard", "{n} ans plus tard", lead, lang)
