"""Who may write: analysts and their API tokens.

A token is shown once, when it is made; the store keeps only its SHA-256, so a copy of the
database does not hand out write access. ``ECON_API_TOKEN``, when set, is accepted too, as the
analyst "admin": the way in on a fresh install, before any analyst exists.

A dashboard sign-in is a server-side session (``Sessions``) bound to the token that opened it:
replacing or removing the token, or signing out, ends it, whatever copies of the cookie exist.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import time
from pathlib import Path

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


def remove_analyst(engine: Engine, name: str) -> bool:
    """Removes an analyst: their token stops working, and so do their sessions. False if unknown."""
    with engine.begin() as conn:
        removed = conn.execute(delete(Analyst).where(Analyst.name == name.strip())).rowcount
    return bool(removed)


def fingerprint(engine: Engine, name: str) -> str | None:
    """What a session remembers of the token that opened it: a hash of the stored hash.

    It changes when the token is replaced and vanishes when the analyst is removed (or, for
    "admin", when ``ECON_API_TOKEN`` changes or is unset), so a session checked against it dies
    with its token. None when there is no such analyst.
    """
    if name == ADMIN:
        admin_token = get_settings().api_token
        stored = hash_token(admin_token) if admin_token else None
    else:
        with engine.connect() as conn:
            stored = conn.execute(select(Analyst.token_hash).where(Analyst.name == name)).scalar()
    return hashlib.sha256(f"econ-session:{stored}".encode()).hexdigest() if stored else None


# --- server-side sessions ---------------------------------------------------------------------


class Sessions:
    """Sign-ins kept on the server: the browser's cookie holds only a random id.

    A record says who signed in, the fingerprint of their token then, and when it expires.
    Signing out deletes it, so a copied cookie is worth nothing afterwards. Records live in
    Redis when one is configured (``ECON_REDIS_URL`` or the Celery broker: every worker and host
    shares them), else as files under ``ECON_HOME/sessions`` (every worker of one host).
    """

    def __init__(self, settings=None) -> None:
        settings = settings or get_settings()
        self.lifetime = int(settings.session_hours * 3600)
        url = settings.shared_redis_url()
        self.backend = _RedisRecords(url) if url else _FileRecords(Path(settings.home) / "sessions")

    def open(self, analyst: str, print_: str) -> str:
        sid = secrets.token_urlsafe(32)
        record = {"analyst": analyst, "fingerprint": print_, "expires": time.time() + self.lifetime}
        self.backend.put(sid, record, self.lifetime)
        return sid

    def get(self, sid: str | None) -> dict | None:
        """The live record of a session id, or None (unknown, malformed, expired)."""
        if not isinstance(sid, str) or not _SID.fullmatch(sid):
            return None
        record = self.backend.get(sid)
        if record is None or record.get("expires", 0) < time.time():
            return None
        return record

    def close(self, sid: str | None) -> None:
        if isinstance(sid, str) and _SID.fullmatch(sid):
            self.backend.delete(sid)

    def close_all(self, analyst: str) -> int:
        """Ends every session of an analyst (their token was replaced or removed); how many."""
        return self.backend.delete_where(analyst)


_SID = re.compile(r"[A-Za-z0-9_-]{43}")


class _FileRecords:
    """One small JSON file a session, written atomically (a temporary file renamed)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, sid: str, record: dict, _lifetime: int) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.folder / f".{sid}.tmp"
        temporary.write_text(json.dumps(record))
        os.replace(temporary, self.folder / sid)

    def get(self, sid: str) -> dict | None:
        try:
            return json.loads((self.folder / sid).read_text())
        except (OSError, ValueError):
            return None

    def delete(self, sid: str) -> None:
        (self.folder / sid).unlink(missing_ok=True)

    def delete_where(self, analyst: str) -> int:
        closed = 0
        for path in self.folder.glob("*") if self.folder.is_dir() else []:
            record = self.get(path.name) if _SID.fullmatch(path.name) else None
            if record is not None and record.get("analyst") == analyst:
                path.unlink(missing_ok=True)
                closed += 1
        return closed


class _RedisRecords:
    """Records with Redis' own expiry, and a set of session ids per analyst."""

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=5)

    def put(self, sid: str, record: dict, lifetime: int) -> None:
        pipe = self.redis.pipeline()
        pipe.set(f"econ:session:{sid}", json.dumps(record), ex=lifetime)
        pipe.sadd(f"econ:sessions:{record['analyst']}", sid)
        pipe.execute()

    def get(self, sid: str) -> dict | None:
        raw = self.redis.get(f"econ:session:{sid}")
        return json.loads(raw) if raw else None

    def delete(self, sid: str) -> None:
        self.redis.delete(f"econ:session:{sid}")

    def delete_where(self, analyst: str) -> int:
        sids = [s.decode() for s in self.redis.smembers(f"econ:sessions:{analyst}")]
        closed = self.redis.delete(*(f"econ:session:{s}" for s in sids)) if sids else 0
        self.redis.delete(f"econ:sessions:{analyst}")
        return int(closed)
