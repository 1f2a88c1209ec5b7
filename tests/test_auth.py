"""Analysts and tokens: shown once, stored hashed, checked without shortcuts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from econ.auth import ADMIN, AnalystExists, add_analyst, bearer_token, check_token, hash_token, list_analysts
from econ.config import get_settings
from econ.store.tables import Analyst


def test_a_new_analyst_gets_a_token_and_only_its_hash_is_stored(sqlite_engine):
    token = add_analyst(sqlite_engine, "awa.traore")
    assert len(token) >= 40
    with sqlite_engine.connect() as conn:
        stored = conn.execute(select(Analyst.name, Analyst.token_hash)).all()
    assert stored == [("awa.traore", hash_token(token))]
    assert token not in stored[0][1]
    assert check_token(sqlite_engine, token) == "awa.traore"


@pytest.mark.parametrize("presented", [None, "", "wrong", "awa.traore"])
def test_anything_but_the_token_is_refused(sqlite_engine, presented):
    add_analyst(sqlite_engine, "awa.traore")
    assert check_token(sqlite_engine, presented) is None


def test_two_analysts_have_different_tokens(sqlite_engine):
    first, second = add_analyst(sqlite_engine, "awa"), add_analyst(sqlite_engine, "moussa")
    assert first != second
    assert (check_token(sqlite_engine, first), check_token(sqlite_engine, second)) == ("awa", "moussa")
    assert [a["name"] for a in list_analysts(sqlite_engine)] == ["awa", "moussa"]


def test_a_name_is_taken_until_a_replacement_is_asked_for(sqlite_engine):
    old = add_analyst(sqlite_engine, "awa")
    with pytest.raises(AnalystExists):
        add_analyst(sqlite_engine, "awa")
    new = add_analyst(sqlite_engine, "awa", replace=True)
    assert check_token(sqlite_engine, old) is None and check_token(sqlite_engine, new) == "awa"


@pytest.mark.parametrize("name", ["", "   ", ADMIN])
def test_unusable_names_are_refused(sqlite_engine, name):
    with pytest.raises(ValueError):
        add_analyst(sqlite_engine, name)


def test_the_configured_api_token_signs_in_as_admin(sqlite_engine, monkeypatch):
    assert check_token(sqlite_engine, "from-the-environment") is None
    monkeypatch.setenv("ECON_API_TOKEN", "from-the-environment")
    get_settings.cache_clear()
    assert check_token(sqlite_engine, "from-the-environment") == ADMIN
    assert check_token(sqlite_engine, "from-the-environmenT") is None


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None), ("", None), (None, None)],
)
def test_bearer_header(header, token):
    assert bearer_token(header) == token
