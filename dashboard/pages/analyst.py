"""Analyst space: sign in with a token, then rerun the forecasts in the background with a progress bar.

Sign-in opens a server-side session bound to the analyst's token (``dashboard.security``): it
ends on sign-out, or when the token is replaced or removed, and is checked on every write. The rerun itself is a Dash
background callback (DiskcacheManager or Celery): it runs outside any request, so the click
is first turned into a short-lived ticket signed with the server's key by an ordinary callback
that can see the session; the job runs only on a valid ticket.
"""

from __future__ import annotations

from dash import Input, Output, State, dcc, html, no_update
from itsdangerous import BadSignature, URLSafeTimedSerializer

from dashboard import ids
from dashboard.components.shell import shell
from dashboard.data import layer
from dashboard.security import sign_in as open_session, sign_out as close_session, signed_in
from dashboard.state import from_query
from econ import logs
from econ.auth import check_token
from econ.i18n import t
from econ.terms import country_name as name

KEY, PATH = "analyst", "/analyst"
TICKET_SECONDS = 60


def signin_form(lang: str) -> html.Div:
    return html.Div([
        html.P(t("Relancer les projections est réservé aux analystes connectés.", lang)),
        html.Div([html.Label(t("Jeton d'analyste", lang), htmlFor=ids.TOKEN),
                  dcc.Input(id=ids.TOKEN, type="password", autoComplete="off", className="input")], className="field"),
        html.Button(t("Se connecter", lang), id=ids.SIGNIN, className="button primary"),
    ], className="signin")


def rerun_panel(analyst: str, lang: str, countries: list[str]) -> html.Div:
    options = [{"label": t("Tous", lang), "value": "all"}] + [{"label": name(c, lang), "value": c} for c in countries]
    return html.Div([
        html.P(t("Connecté : {name}", lang, name=analyst)),
        html.Div([html.Span(t("Pays à relancer", lang), id="label-rerun-scope", className="field-label"),
                  html.Div(dcc.Dropdown(options=options, value="all", id=ids.RERUN_SCOPE, clearable=False),
                           role="group", **{"aria-labelledby": "label-rerun-scope"})], className="field"),
        html.Div([html.Button(t("Relancer les projections", lang), id=ids.RERUN, className="button primary"),
                  html.Button(t("Annuler", lang), id=ids.RERUN_CANCEL, className="button", disabled=True),
                  html.Button(t("Se déconnecter", lang), id=ids.SIGNOUT, className="button")], className="buttons"),
        html.Label([t("Avancement", lang), html.Progress(id=ids.RERUN_PROGRESS, value="0", max="1")],
                   className="progress"),
        html.P(id=ids.RERUN_PROGRESS_LABEL, **{"aria-live": "polite"}),
        html.P(id=ids.RERUN_RESULT, role="status"),
    ])


def panel(lang: str):
    analyst = signed_in()
    return rerun_panel(analyst, lang, layer().countries()) if analyst else signin_form(lang)


def layout(**query):
    state = from_query(query)
    return shell(KEY, state, html.P(id=ids.SIGNIN_STATUS, role="alert"), html.Div(panel(state.lang), id=ids.RERUN_PANEL),
                 dcc.Store(id=ids.RERUN_TICKET))


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="econ-rerun")


def register(app) -> None:
    """Sign-in, sign-out, ticket, job. Buttons inserted by a callback fire their callbacks once with no
    clicks (Dash treats insertion as a change), so every handler first checks that a click happened."""
    secret = app.server.secret_key
    url = layer_url(app)

    @app.callback(Output(ids.SIGNIN_STATUS, "children"), Output(ids.RERUN_PANEL, "children"),
                  Input(ids.SIGNIN, "n_clicks"), Input(ids.TOKEN, "n_submit"), State(ids.TOKEN, "value"),
                  State(ids.PAGE_LANG, "data"), prevent_initial_call=True)
    def sign_in(clicks, submits, token, lang):
        if not (clicks or submits):  # the form was just rendered, nobody pressed anything
            return no_update, no_update
        analyst = check_token(layer().engine, token)
        if analyst is None:
            return t("Jeton refusé.", lang), no_update
        open_session(analyst)
        return "", rerun_panel(analyst, lang, layer().countries())

    @app.callback(Output(ids.RERUN_PANEL, "children", allow_duplicate=True), Input(ids.SIGNOUT, "n_clicks"),
                  State(ids.PAGE_LANG, "data"), prevent_initial_call=True)
    def sign_out(clicks, lang):
        if not clicks:
            return no_update
        close_session()
        return signin_form(lang)

    @app.callback(Output(ids.RERUN_TICKET, "data"), Output(ids.SIGNIN_STATUS, "children", allow_duplicate=True),
                  Input(ids.RERUN, "n_clicks"), State(ids.RERUN_SCOPE, "value"), State(ids.PAGE_LANG, "data"),
                  prevent_initial_call=True)
    def issue_ticket(clicks, scope, lang):
        if not clicks:
            return no_update, no_update
        analyst = signed_in()
        if analyst is None:
            return no_update, t("Relancer les projections est réservé aux analystes connectés.", lang)
        return _serializer(secret).dumps({"analyst": analyst, "scope": scope}), ""

    @app.callback(
        Output(ids.RERUN_RESULT, "children"), Input(ids.RERUN_TICKET, "data"), State(ids.PAGE_LANG, "data"),
        background=True, prevent_initial_call=True,
        running=[(Output(ids.RERUN, "disabled"), True, False), (Output(ids.RERUN_CANCEL, "disabled"), False, True)],
        progress=[Output(ids.RERUN_PROGRESS, "value"), Output(ids.RERUN_PROGRESS, "max"),
                  Output(ids.RERUN_PROGRESS_LABEL, "children")],
        cancel=[Input(ids.RERUN_CANCEL, "n_clicks")],
    )
    def rerun(set_progress, ticket, lang):
        return run_job(url, secret, ticket, lang, set_progress)


def layer_url(app) -> str:
    """The store's URL, for the job process to open its own connection (an engine does not cross processes)."""
    from dashboard.data import EXTENSION

    return app.server.extensions[EXTENSION].engine.url.render_as_string(hide_password=False)


def run_job(url: str, secret: str, ticket: str | None, lang: str, set_progress) -> str:
    """The background job: check the ticket, run the forecasts, report progress as it goes."""
    try:
        claims = _serializer(secret).loads(ticket or "", max_age=TICKET_SECONDS)
    except BadSignature:
        return t("Relancer les projections est réservé aux analystes connectés.", lang)
    try:
        from econ.forecast import run_forecasts
    except ImportError:
        return t("Le moteur de projection n'est pas disponible.", lang)
    from econ.store.db import make_engine

    def progress(done, total, label=""):
        set_progress((str(done), str(max(total, 1)), f"{done}/{total} {label}".strip()))

    countries = None if claims.get("scope") in (None, "all") else [claims["scope"]]
    try:
        with logs.job("rerun", user=claims.get("analyst"), countries=countries) as logged:
            run_id = logged["run_id"] = run_forecasts(make_engine(url), countries=countries, progress=progress)
    except Exception as err:  # noqa: BLE001 - the analyst sees why the run failed
        reason = f"{type(err).__name__}: {err}"
        return t("Échec de l'exécution : {error}", lang, error=reason)
    return t("Exécution n°{id} enregistrée.", lang, id=run_id)
