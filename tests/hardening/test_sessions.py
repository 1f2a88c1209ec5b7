"""Analyst sessions die with their token: replaced, removed, or signed out, the old cookie starts nothing.

Each test signs in through the analyst page's own callback (a real Flask test client, a real
cookie), then tries the write that a session allows: asking for a rerun ticket.
"""

from __future__ import annotations

import pytest
from hardening_support import callback_body, redis_or_skip
from typer.testing import CliRunner

from dashboard import ids
from econ.auth import ADMIN, Sessions, add_analyst
from econ.cli import app as cli
from econ.config import get_settings
from econ.i18n import t

runner = CliRunner()
NEEDED, REFUSED = "Relancer les projections est réservé aux analystes connectés.", "Jeton refusé."


def sign_in(call, client, token: str):
    response = call(client, "sign_in", 1, None, token, "en")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def may_write(call, client) -> bool:
    """Whether the session gets a rerun ticket (the write a signed-in analyst may start)."""
    response = call(client, "issue_ticket", 1, "all", "en")
    assert response.status_code == 200, response.get_data(as_text=True)
    out = response.get_json()["response"]
    if ids.RERUN_TICKET in out:
        return True
    assert out[ids.SIGNIN_STATUS]["children"] == t(NEEDED, "en")
    return False


def copy_of_cookie(source, target) -> None:
    """What an attacker holding a copy of the cookie would send."""
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


@pytest.fixture
def token(store):
    return add_analyst(store, "awa.traore")


def test_a_signed_in_analyst_may_write_and_a_stranger_may_not(call, client, dash_app, token):
    assert not may_write(call, client)
    assert sign_in(call, client, "not-the-token")[ids.SIGNIN_STATUS]["children"] == t(REFUSED, "en")
    assert not may_write(call, client)
    sign_in(call, client, token)
    assert may_write(call, client)
    stranger = dash_app.server.test_client()
    assert not may_write(call, stranger)


def test_the_cookie_holds_a_session_id_not_the_name(call, client, token):
    sign_in(call, client, token)
    cookie = client.get_cookie("session")
    assert "awa" not in cookie.decoded_key + cookie.value
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure


def test_the_cookie_is_secure_over_https(call, dash_app, token):
    client = dash_app.server.test_client()
    client.get("/", base_url="https://econ.example")
    body = callback_body(dash_app, "sign_in", 1, None, token, "en")
    response = client.post("/_dash-update-component", json=body, base_url="https://econ.example")
    assert response.status_code == 200
    set_cookie = response.headers["Set-Cookie"]
    assert "Secure" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_replacing_the_token_ends_the_session(call, client, store, token):
    sign_in(call, client, token)
    assert may_write(call, client)
    result = runner.invoke(cli, ["analyst", "add", "awa.traore", "--replace"])
    assert result.exit_code == 0 and "1 dashboard session(s) ended" in result.stdout
    assert not may_write(call, client)


def test_a_session_dies_with_its_token_even_when_its_record_survives(call, client, store, token):
    """Another host replaced the token (its CLI could not reach this host's session files)."""
    sign_in(call, client, token)
    add_analyst(store, "awa.traore", replace=True)
    assert not may_write(call, client)


def test_removing_the_analyst_ends_the_session_and_the_token(call, client, store, token):
    from econ.auth import check_token

    sign_in(call, client, token)
    result = runner.invoke(cli, ["analyst", "remove", "awa.traore"])
    assert result.exit_code == 0 and "removed" in result.stdout
    assert not may_write(call, client)
    assert check_token(store, token) is None
    again = runner.invoke(cli, ["analyst", "remove", "awa.traore"])
    assert again.exit_code == 1 and "no analyst 'awa.traore'" in again.stderr


def test_signing_out_ends_the_session_on_the_server(call, client, dash_app, token):
    sign_in(call, client, token)
    copy = dash_app.server.test_client()
    copy_of_cookie(client, copy)
    assert may_write(call, copy)  # the copy works while the session lives
    out = call(client, "sign_out", 1, "en").get_json()["response"]
    assert ids.SIGNIN in str(out[ids.RERUN_PANEL])
    assert not may_write(call, client)
    assert not may_write(call, copy)


def test_the_admin_session_dies_when_the_configured_token_changes(call, client, monkeypatch):
    monkeypatch.setenv("ECON_API_TOKEN", "first-admin-token")
    get_settings.cache_clear()
    assert sign_in(call, client, "first-admin-token")[ids.RERUN_PANEL]
    assert may_write(call, client)
    monkeypatch.setenv("ECON_API_TOKEN", "second-admin-token")
    get_settings.cache_clear()
    assert not may_write(call, client)


def test_an_expired_session_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("ECON_SESSION_HOURS", "0.0000001")
    get_settings.cache_clear()
    sessions = Sessions()
    sid = sessions.open(ADMIN, "print")
    import time

    time.sleep(0.01)
    assert sessions.get(sid) is None


@pytest.mark.parametrize("sid", ["../../etc/passwd", "", None, 42, "a" * 42, "a" * 44])
def test_a_forged_session_id_is_nothing(sid):
    assert Sessions().get(sid) is None


def test_sessions_in_redis_are_shared_and_end_together(monkeypatch):
    client = redis_or_skip()
    monkeypatch.setenv("ECON_REDIS_URL", _url(client))
    get_settings.cache_clear()
    here, there = Sessions(), Sessions()  # two workers
    assert type(here.backend).__name__ == "_RedisRecords"
    first, second = here.open("awa", "p1"), here.open("awa", "p1")
    other = here.open("moussa", "p2")
    assert there.get(first)["analyst"] == "awa"
    assert 0 < client.ttl(f"econ:session:{first}") <= 12 * 3600
    there.close(first)
    assert here.get(first) is None and here.get(second) is not None
    assert here.close_all("awa") == 1
    assert there.get(second) is None and there.get(other)["analyst"] == "moussa"
    here.close_all("moussa")


def _url(client) -> str:
    kwargs = client.connection_pool.connection_kwargs
    return f"redis://{kwargs['host']}:{kwargs['port']}/{kwargs.get('db', 0)}"
