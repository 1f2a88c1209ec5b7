"""Shared helpers for the loader tests, as fixtures: a fixed today, files written in a
temporary folder, workbooks built with openpyxl, and a requests adapter that serves recorded
answers (no test touches the network)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
import requests
from requests.adapters import BaseAdapter

from econ.schema import InputError
from econ.sources import read_path

TODAY = date(2025, 12, 15)
FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Each test runs in its own folder, so problems name files as the user typed them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def write():
    def write(name: str, text: str, encoding: str = "utf-8") -> str:
        Path(name).write_bytes(text.encode(encoding))
        return name

    return write


@pytest.fixture
def load():
    return lambda name: read_path(name, today=TODAY)


@pytest.fixture
def problems():
    """Every problem reported for a file, as the user sees them."""

    def problems(name: str) -> list[str]:
        with pytest.raises(InputError) as err:
            read_path(name, today=TODAY)
        return [str(p) for p in err.value.problems]

    return problems


@pytest.fixture
def workbook():
    """Writes an .xlsx with the given sheets (title -> rows, row 1 first)."""

    def workbook(name: str, sheets: dict[str, list[list]]) -> str:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(name)
        return name

    return workbook


@pytest.fixture
def fixture_bytes():
    return lambda name: (FIXTURES / name).read_bytes()


class Recorded(BaseAdapter):
    """Serves fixed answers by URL (bytes, or an exception to raise); records what was asked."""

    def __init__(self, answers: dict[str, object], status: int = 200, content_type: str = "application/json"):
        super().__init__()
        self.answers, self.status, self.content_type, self.asked = answers, status, content_type, []

    def send(self, request, **kwargs):
        self.asked.append(request.url)
        answer = self.answers.get(request.url)
        if isinstance(answer, Exception):
            raise answer
        response = requests.Response()
        response.status_code = self.status if answer is not None else 404
        response.reason = "OK" if response.status_code == 200 else "Not Found" if answer is None else "Error"
        response._content = answer if answer is not None else b"not found"
        response.headers["Content-Type"] = self.content_type
        response.url, response.request = request.url, request
        return response

    def close(self):
        pass


@pytest.fixture
def serve():
    """serve(answers, status=200, content_type=...) -> (session, adapter): a Session answering from memory."""
    sessions = []

    def serve(answers: dict[str, object], **kwargs) -> tuple[requests.Session, Recorded]:
        adapter = Recorded(answers, **kwargs)
        session = requests.Session()
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        sessions.append(session)
        return session, adapter

    yield serve
    for session in sessions:
        session.close()
