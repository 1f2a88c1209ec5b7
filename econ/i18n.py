"""French and English for every label, number and date the dashboard and its exports show.

French is the default because most users read French first. Numbers follow each language's
typography: ``2,5 %`` (decimal comma, a no-break space before ``%``, a narrow no-break space
between thousands) in French, ``2.5%`` in English. Plotly gets the same conventions through
``layout.separators`` and a locale dictionary for its modebar (``LOCALES``), passed in the
figure config because a locale name alone fetches nothing offline.
"""

from __future__ import annotations

import math
from datetime import date, datetime

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
NBSP = "\u00a0"  # before % and : in French
NNBSP = "\u202f"  # French thousands separator

MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}

# Plotly's separators: decimal then thousands.
SEPARATORS = {"fr": ", ", "en": ".,"}

TEXTS: dict[str, tuple[str, str]] = {
    # key: (fr, en)
    "app_title": ("Tableau de bord macroéconomique — Mali et UEMOA", "Macroeconomic dashboard — Mali and WAEMU"),
    "app_short": ("Économie Mali · UEMOA", "Mali · WAEMU economy"),
    "skip": ("Aller au contenu", "Skip to content"),
    "nav": ("Navigation principale", "Main navigation"),
    "page_overview": ("Vue d'ensemble", "Overview"),
    "page_indicator": ("Indicateur", "Indicator"),
    "page_convergence": ("Convergence", "Convergence"),
    "page_data": ("Données", "Data"),
    "page_scenarios": ("Scénarios", "Scenarios"),
    "page_analyst": ("Espace analyste", "Analyst"),
    "country": ("Pays", "Country"),
    "indicator": ("Indicateur", "Indicator"),
    "language": ("Langue", "Language"),
    "vintage": ("Données connues au", "Data as known on"),
    "vintage_latest": ("Dernières données", "Latest data"),
    "source": ("Source", "Source"),
    "sources": ("Sources", "Sources"),
    "data_vintage": ("Données au", "Data as of"),
    "run": ("Projection", "Projection"),
    "run_label": ("exécution n°{id} du {date}, modèle {model}", "run #{id} of {date}, model {model}"),
    "no_run": ("aucune projection enregistrée", "no stored projection"),
    "no_data": ("Aucune donnée pour cette sélection.", "No data for this selection."),
    "history": ("Observé", "Observed"),
    "projection": ("Projection", "Projection"),
    "band_80": ("Intervalle à 80 %", "80% interval"),
    "band_95": ("Intervalle à 95 %", "95% interval"),
    "norm_short": ("Norme", "Norm"),
    "norm_waemu": ("Norme UEMOA", "WAEMU norm"),
    "officials": ("projections officielles", "official projections"),
    "ceiling": ("plafond", "ceiling"),
    "floor": ("plancher", "floor"),
    "official": ("Projection officielle", "Official projection"),
    "published": ("publiée le", "published"),
    "p_breach": ("Probabilité de dépasser la norme", "Probability of breaching the norm"),
    "p_breach_next": ("Risque de dépassement en {period}", "Risk of breach in {period}"),
    "latest": ("Dernière valeur", "Latest value"),
    "status_green": ("Respecte la norme", "Meets the norm"),
    "status_amber": ("Sous surveillance", "At risk"),
    "status_red": ("Dépasse la norme", "Breaches the norm"),
    "status_none": ("Pas de norme", "No norm"),
    "open_indicator": ("Voir le graphique détaillé", "See the detailed chart"),
    # table headers (figure_table and the data page)
    "col_series": ("Série", "Series"),
    "col_period": ("Période", "Period"),
    "col_value": ("Valeur", "Value"),
    "col_mean": ("Projection centrale", "Central projection"),
    "col_lower_80": ("Borne basse 80 %", "Lower 80%"),
    "col_upper_80": ("Borne haute 80 %", "Upper 80%"),
    "col_lower_95": ("Borne basse 95 %", "Lower 95%"),
    "col_upper_95": ("Borne haute 95 %", "Upper 95%"),
    "col_p_breach": ("Probabilité de dépassement", "Probability of breach"),
    "col_publisher": ("Éditeur", "Publisher"),
    "col_published": ("Publiée le", "Published"),
    "col_source": ("Source", "Source"),
    "col_country": ("Pays", "Country"),
    "col_indicator": ("Indicateur", "Indicator"),
    "col_unit": ("Unité", "Unit"),
    "col_kind": ("Nature", "Kind"),
    "col_model": ("Modèle", "Model"),
    "col_weight": ("Poids", "Weight"),
    "col_mase": ("MASE (naïf = 1)", "MASE (naive = 1)"),
    "col_mae": ("Erreur absolue moyenne", "Mean absolute error"),
    "col_rmse": ("RMSE", "RMSE"),
    "col_vs_naive": ("Comparé au naïf", "Against naive"),
    "kind_history": ("observé", "observed"),
    "kind_projection": ("projection", "projection"),
    "kind_official": ("projection officielle", "official projection"),
    "kind_actual": ("observé", "actual"),
    "better_than_naive": ("meilleur", "better"),
    "worse_than_naive": ("moins bon", "worse"),
    "chosen": ("retenu", "chosen"),
    # pages
    "overview_intro": (
        "Où en sont la croissance, l'inflation et la production d'or, et où vont-elles ?",
        "Where growth, inflation and gold production stand, and where they are heading.",
    ),
    "models_table": ("Modèles de la projection", "Models of the projection"),
    "models_caption": (
        "Poids de chaque modèle et précision en prévision hors échantillon ; un MASE inférieur à 1 bat la prévision naïve.",
        "Each model's weight and out-of-sample accuracy; a MASE below 1 beats the naive forecast.",
    ),
    "no_models": ("Aucun modèle enregistré pour cette projection.", "No model stored for this projection."),
    "chart_alt": ("Description du graphique", "Chart description"),
    "download": ("Télécharger", "Download"),
    "download_chart": ("Graphique", "Chart"),
    "download_data": ("Données", "Data"),
    "convergence_intro": (
        "Critères de convergence de premier rang de l'UEMOA : dernière valeur observée et projections, "
        "avec la probabilité de dépasser la norme.",
        "WAEMU first-rank convergence criteria: latest actual and projections, with the probability of "
        "breaching the norm.",
    ),
    "scorecard_caption": ("Tableau de convergence UEMOA", "WAEMU convergence scorecard"),
    "scorecard_missing": ("Le tableau de convergence n'est pas encore disponible.", "The scorecard is not available yet."),
    "legend": ("Légende", "Legend"),
    "data_intro": (
        "Les chiffres derrière chaque vue, avec leur source. Filtrez et triez dans les en-têtes du tableau.",
        "The figures behind every view, with their sources. Filter and sort in the table headers.",
    ),
    "filter": ("Filtrer les lignes", "Filter rows"),
    "all_indicators": ("Tous les indicateurs", "All indicators"),
    "rows": ("{n} lignes", "{n} rows"),
    "scenarios_intro": (
        "Fixez une trajectoire de production d'or et voyez la projection de croissance bouger. "
        "Le calcul réutilise les paramètres estimés de la dernière exécution, sans ré-estimation.",
        "Set a gold production path and watch the growth projection move. The computation reuses the "
        "fitted parameters of the latest run, with no refit.",
    ),
    "scenario": ("Scénario", "Scenario"),
    "baseline": ("Projection de référence", "Baseline projection"),
    "scenario_unavailable": (
        "Les scénarios ne sont pas encore disponibles pour ce pays (aucune exécution avec la production d'or).",
        "Scenarios are not available for this country yet (no run with gold production).",
    ),
    "reset": ("Rétablir", "Reset"),
    "signin": ("Se connecter", "Sign in"),
    "signout": ("Se déconnecter", "Sign out"),
    "token": ("Jeton d'analyste", "Analyst token"),
    "signed_in_as": ("Connecté : {name}", "Signed in: {name}"),
    "signin_failed": ("Jeton refusé.", "Token refused."),
    "signin_needed": (
        "Relancer les projections est réservé aux analystes connectés.",
        "Rerunning forecasts is for signed-in analysts.",
    ),
    "rerun": ("Relancer les projections", "Rerun forecasts"),
    "rerun_scope": ("Pays à relancer", "Countries to rerun"),
    "rerun_all": ("Tous", "All"),
    "rerun_done": ("Exécution n°{id} enregistrée.", "Run #{id} stored."),
    "rerun_failed": ("Échec de l'exécution : {error}", "Run failed: {error}"),
    "rerun_unavailable": ("Le moteur de projection n'est pas disponible.", "The forecast engine is not available."),
    "progress": ("Avancement", "Progress"),
    "cancel": ("Annuler", "Cancel"),
    "footer": (
        "Données : FMI, Banque mondiale, BCEAO, autorités nationales — voir la page Données pour chaque source.",
        "Data: IMF, World Bank, BCEAO, national authorities — see the Data page for each source.",
    ),
    "actual": ("observé", "actual"),
}

PUBLISHERS = {
    "IMF": ("FMI", "IMF"),
    "World Bank": ("Banque mondiale", "World Bank"),
    "Government of Mali": ("Gouvernement du Mali", "Government of Mali"),
    "BCEAO": ("BCEAO", "BCEAO"),
    "AfDB": ("BAD", "AfDB"),
    "Mali Ministry of Mines": ("Ministère des Mines du Mali", "Mali Ministry of Mines"),
}


def lang_or_default(lang: str | None) -> str:
    """Any unknown language (from a URL, say) falls back to French rather than failing."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The text for ``key`` in ``lang``; ``values`` fill its ``{placeholders}``."""
    fr, en = TEXTS[key]
    text = fr if lang_or_default(lang) == "fr" else en
    return text.format(**values) if values else text


def publisher(name: str, lang: str = DEFAULT_LANG) -> str:
    pair = PUBLISHERS.get(name)
    return (pair[0] if lang == "fr" else pair[1]) if pair else name


def colon(lang: str = DEFAULT_LANG) -> str:
    """`` : `` in French (a no-break space before the colon), ``: `` in English."""
    return "\u00a0: " if lang_or_default(lang) == "fr" else ": "


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_number(x, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """``1234.5`` -> ``1 234,5`` (narrow no-break space) in French, ``1,234.5`` in English; ``–`` when missing."""
    if _missing(x):
        return "–"
    text = f"{float(x):,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0,0"
    if lang_or_default(lang) == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def fmt_percent(x, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """``2.5`` (already in percent) -> ``2,5 %`` in French, ``2.5%`` in English."""
    if _missing(x):
        return "–"
    number = fmt_number(x, lang, decimals)
    return f"{number}{NBSP}%" if lang_or_default(lang) == "fr" else f"{number}%"


def fmt_probability(p, lang: str = DEFAULT_LANG) -> str:
    """A probability in [0, 1] as a whole percentage: ``0.21`` -> ``21 %``."""
    return "–" if _missing(p) else fmt_percent(100 * float(p), lang, 0)


def fmt_date(d: date | datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """``2025-11-24`` -> ``24 novembre 2025`` / ``24 November 2025``; ``2025-11`` -> ``novembre 2025``."""
    if d is None or (isinstance(d, float) and math.isnan(d)):
        return "–"
    lang = lang_or_default(lang)
    if isinstance(d, str):
        parts = d.split("T")[0].split("-")
        if len(parts) == 2:
            return f"{MONTHS[lang][int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 1:
            return parts[0]
        d = date(int(parts[0]), int(parts[1]), int(parts[2]))
    day = "1er" if (d.day == 1 and lang == "fr") else str(d.day)
    return f"{day} {MONTHS[lang][d.month - 1]} {d.year}"


def fmt_datetime(d: datetime | None, lang: str = DEFAULT_LANG) -> str:
    """A moment to the minute, UTC (vintages and run times are stored in UTC)."""
    if d is None:
        return "–"
    return f"{fmt_date(d, lang)}, {d:%H:%M} UTC"


# Plotly.js locale for the modebar, hover and date axes (the dictionary of plotly.js' fr.js).
LOCALES = {
    "fr": {
        "moduleType": "locale",
        "name": "fr",
        "dictionary": {
            "Autoscale": "Échelle automatique",
            "Box Select": "Sélection rectangulaire",
            "Click to enter Colorscale title": "Ajouter un titre à l'échelle de couleurs",
            "Click to enter Plot title": "Ajouter un titre au graphique",
            "Click to enter X axis title": "Ajouter un titre à l'axe des x",
            "Click to enter Y axis title": "Ajouter un titre à l'axe des y",
            "Compare data on hover": "Comparer les données au survol",
            "Double-click on legend to isolate one trace": "Double-cliquer sur la légende pour isoler une série",
            "Double-click to zoom back out": "Double-cliquer pour dézoomer",
            "Download plot as a png": "Télécharger le graphique en PNG",
            "Download plot as a PNG": "Télécharger le graphique en PNG",
            "Download plot": "Télécharger le graphique",
            "Lasso Select": "Sélection lasso",
            "Orbital rotation": "Rotation orbitale",
            "Pan": "Translation",
            "Produced with Plotly.js": "Généré avec Plotly.js",
            "Reset": "Réinitialiser",
            "Reset axes": "Réinitialiser les axes",
            "Reset view": "Réinitialiser",
            "Reset views": "Réinitialiser",
            "Show closest data on hover": "Afficher les données les plus proches au survol",
            "Snapshot succeeded": "Conversion réussie",
            "Sorry, there was a problem downloading your snapshot!": "Désolé, le téléchargement du graphique a échoué.",
            "Taking snapshot - this may take a few seconds": "Conversion en cours, quelques secondes…",
            "Toggle Spike Lines": "Afficher/masquer les lignes de repère",
            "Toggle show closest data on hover": "Afficher/masquer les données les plus proches au survol",
            "Zoom": "Zoom",
            "Zoom in": "Zoom avant",
            "Zoom out": "Zoom arrière",
            "close:": "fermeture :",
            "high:": "haut :",
            "low:": "bas :",
            "max:": "max. :",
            "mean:": "moyenne :",
            "median:": "médiane :",
            "min:": "min. :",
            "open:": "ouverture :",
            "trace": "série",
        },
        "format": {
            "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
            "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
            "months": MONTHS["fr"],
            "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                            "nov.", "déc."],
            "date": "%d/%m/%Y",
            "decimal": ",",
            "thousands": " ",
        },
    }
}


def PLOTLY_CONFIG(lang: str = DEFAULT_LANG, filename: str = "graphique") -> dict:  # noqa: N802 (the contract's name)
    """The ``dcc.Graph`` config: no cloud button, no logo, the modebar in ``lang``, a 2x PNG with a useful name."""
    lang = lang_or_default(lang)
    return {
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "displaylogo": False,
        "responsive": True,
        "locale": lang,
        "locales": LOCALES if lang == "fr" else {},
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
