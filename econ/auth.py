"""Who may write: analysts and their API tokens.

A token is shown once, when it is made; the store keeps only its SHA-256, so a copy of the
database does not hand out write access. ``ECON_API_TOKEN``, when set, is accepted too, as the
analyst "admin": the way in on a fresh install, before any analyst exists.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import Engine, delete, insert, select

from econ.config import get_settings
from econ.store.repository import utcnow
from econ.store.tables import Analyst

ADMIN = "admin"
TOKEN_BYTES = 32


class AnalystExists(ValueError):
    """The name is taken: replacing someone's token must be asked for, not a side effect."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_analyst(engine: Engine, name: str, replace: bool = False) -> str:
    """Registers ``name`` and returns a new random token (the only time it can be read).

    With ``replace``, an existing analyst's token is rotated and the old one stops working.
    """
    name = name.strip()
    if not name or name == ADMIN:
        raise ValueError(f"not a usable analyst name: {name!r}")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with engine.begin() as conn:
        exists = conn.execute(select(Analyst.id).where(Analyst.name == name)).first() is not None
        if exists and not replace:
            raise AnalystExists(f"analyst {name!r} already exists")
        conn.execute(delete(Analyst).where(Analyst.name == name))
        conn.execute(insert(Analyst).values(name=name, token_hash=hash_token(token), created_at=utcnow()))
    return token


def list_analysts(engine: Engine) -> list[dict]:
    """Names and creation dates, never hashes."""
    with engine.connect() as conn:
        rows = conn.execute(select(Analyst.name, Analyst.created_at).order_by(Analyst.name)).all()
    return [{"name": n, "created_at": c} for n, c in rows]


def check_token(engine: Engine, token: str | None) -> str | None:
    """The analyst a token belongs to, or None.

    Every stored hash is compared with ``hmac.compare_digest`` (no early exit on the first
    match), so the answer's timing says nothing about how close a guess came.
    """
    if not token:
        return None
    found = None
    admin_token = get_settings().api_token
    if admin_token and hmac.compare_digest(token.encode("utf-8"), admin_token.encode("utf-8")):
        found = ADMIN
    digest = hash_token(token)
    with engine.connect() as conn:
        for name, stored in conn.execute(select(Analyst.name, Analyst.token_hash)).all():
            if hmac.compare_digest(digest, stored) and found is None:
                found = name
    return found


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (None for any other scheme)."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None
