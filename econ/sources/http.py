"""The one way live sources talk HTTP: a session passed in, errors turned into SourceUnavailable.

Tests pass a ``requests.Session`` with a stub adapter mounted, so no test touches the network.
"""

from __future__ import annotations

import hashlib

import requests

from econ.sources.base import SourceUnavailable

USER_AGENT = "econ/0.1 (WAEMU macroeconomic dashboard; python-requests)"


def get(session: requests.Session | None, url: str, timeout: float, hint: str) -> requests.Response:
    """GET url; unreachable, timed out or HTTP >= 400 -> SourceUnavailable naming the URL."""
    session = session or requests.Session()
    try:
        response = session.get(url, timeout=timeout, headers={"User-Agent": USER_AGENT})
    except requests.Timeout:
        raise SourceUnavailable(url, f"no answer within {timeout:g} s", hint) from None
    except requests.RequestException as exc:
        raise SourceUnavailable(url, f"unreachable ({type(exc).__name__}: offline?)", hint) from None
    if response.status_code >= 400:
        raise SourceUnavailable(url, f"HTTP {response.status_code} {response.reason or ''}".rstrip(), hint)
    return response


def get_json(session: requests.Session | None, url: str, timeout: float, hint: str) -> tuple[object, bytes]:
    """(decoded JSON, raw bytes) of a GET; an answer that is not JSON is SourceUnavailable too."""
    response = get(session, url, timeout, hint)
    try:
        return response.json(), response.content
    except ValueError:
        raise SourceUnavailable(url, "the answer is not JSON (the API may have changed)", hint) from None


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
