"""The export browser: one headless Chromium per process with a small pool of tabs (kaleido 1.x).

Starting Chromium costs 2 to 5 s, a render through a running one 0.2 to 0.4 s. kaleido's own
sync server (``kaleido.start_sync_server``) renders one figure at a time: it awaits each queued
task before taking the next, so two cold downloads wait for each other. Here the browser lives
in an asyncio loop on a thread of its own, opened as ``kaleido.Kaleido(n=tabs)``; each render is
a coroutine sent to that loop (``asyncio.run_coroutine_threadsafe``) and kaleido hands it a free
tab from its queue, so up to ``tabs`` charts render at once and the others wait for a tab.
``tabs`` is ``ECON_EXPORT_BROWSERS`` (default 2).

A dead loop thread (Chromium missing or killed) would leave a caller waiting forever, so callers
poll their render with a watchdog and get an ExportError instead; a render that hangs is ended
by kaleido itself after ``timeout`` seconds. After a failed render the browser is restarted on
the next call, in case it was the browser that failed.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import threading
import time
from pathlib import Path

POLL_SECONDS = 0.05
START_SECONDS = 60  # Chromium's start, tabs included, on a slow machine


class ExportError(RuntimeError):
    """A chart could not be rendered (no browser, or the browser died): a service problem, not the user's."""


class ExportBrowser:
    """A headless Chromium with ``tabs`` tabs, started on first use and stopped at exit; safe from any thread."""

    def __init__(self, timeout: float = 90.0, tabs: int | None = None) -> None:
        self.timeout = timeout
        self._tabs = tabs
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self._stopping: asyncio.Event | None = None
        self._failure: BaseException | None = None
        self._healthy = True
        self.started_at: float | None = None

    @property
    def tabs(self) -> int:
        if self._tabs is None:
            from econ.config import get_settings

            return get_settings().export_browsers
        return self._tabs

    def render(self, figure, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
        """The figure as ``fmt`` bytes (png, svg or pdf)."""
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        self._start()
        try:
            return self._call(figure, opts)
        except ExportError:
            self._healthy = False  # restart before the next render, in case the browser is at fault
            raise

    # --- the browser's own thread -----------------------------------------------------------

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._kaleido is not None

    def _start(self) -> None:
        with self._lock:
            if self.alive() and self._healthy:
                return
            self._stop_locked()
            require_browser()
            ready = threading.Event()
            self._failure, self._healthy = None, True
            self._thread = threading.Thread(target=self._serve, args=(ready,), name="econ-export-browser", daemon=True)
            self._thread.start()
            if not ready.wait(START_SECONDS) or self._failure is not None:
                raise ExportError(f"the chart export browser did not start: {self._failure or 'timed out'}")
            if self.started_at is None:
                atexit.register(self.stop)
            self.started_at = time.monotonic()

    def _serve(self, ready: threading.Event) -> None:
        try:
            asyncio.run(self._main(ready))
        except BaseException as err:  # noqa: BLE001 - reported to the caller of _start
            self._failure = err
        finally:
            self._kaleido = None
            ready.set()

    async def _main(self, ready: threading.Event) -> None:
        import kaleido

        # mathjax=False: MathJax would be fetched from a CDN (and setting it on plotly.io is ignored)
        async with kaleido.Kaleido(n=self.tabs, mathjax=False, timeout=self.timeout) as browser:
            self._loop, self._stopping, self._kaleido = asyncio.get_running_loop(), asyncio.Event(), browser
            ready.set()
            await self._stopping.wait()

    # --- rendering --------------------------------------------------------------------------

    def _call(self, figure, opts: dict) -> bytes:
        """One render on the browser's loop, watched: a dead loop thread is an error, not a hang."""
        browser, loop, thread = self._kaleido, self._loop, self._thread
        if browser is None or loop is None or thread is None:
            raise ExportError("the chart export browser stopped (is Chromium installed? see BROWSER_PATH)")
        future = asyncio.run_coroutine_threadsafe(browser.calc_fig(figure, opts=opts), loop)
        deadline = time.monotonic() + self.timeout + 30
        while not future.done():
            concurrent.futures.wait([future], timeout=POLL_SECONDS)
            if future.done():
                break
            if not thread.is_alive():
                future.cancel()
                raise ExportError("the chart export browser stopped (is Chromium installed? see BROWSER_PATH)")
            if time.monotonic() > deadline:
                future.cancel()
                raise ExportError(f"chart export took more than {self.timeout + 30:g} s")
        try:
            return future.result()
        except concurrent.futures.CancelledError as err:
            raise ExportError("the chart export was cancelled (the browser is stopping)") from err
        except Exception as err:
            raise ExportError(f"chart export failed: {err}") from err

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        loop, stopping, thread = self._loop, self._stopping, self._thread
        if loop is not None and stopping is not None and thread is not None and thread.is_alive():
            try:
                loop.call_soon_threadsafe(stopping.set)
            except RuntimeError:  # the loop closed meanwhile
                pass
            thread.join(10)
        self._loop = self._stopping = self._kaleido = self._thread = None


def require_browser() -> None:
    """Looks for Chromium as kaleido will (BROWSER_PATH, then PATH), so a missing one is a clear error."""
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
    if not path or not Path(path).is_file():
        raise ExportError(
            f"no Chromium found for chart export (looked at {path or 'PATH'}): install Debian's chromium or set BROWSER_PATH"
        )


_BROWSER = ExportBrowser()


def export_browser() -> ExportBrowser:
    """The process's export browser (shared by the API, the downloads and the CLI)."""
    return _BROWSER
