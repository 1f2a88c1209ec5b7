"""The WSGI entry point for gunicorn: ``gunicorn -w 4 dashboard.wsgi:server``.

Each worker warms its read cache in a background thread (the WAEMU members' common charts in
both languages), so the first visitors do not pay for the store reads and figure builds.
"""

import threading

from dashboard.app import create_app
from dashboard.data import EXTENSION
from econ import logs

logs.configure()  # econ's structured lines (run gunicorn without --access-logfile: the app logs each request)
app = create_app()
server = app.server
threading.Thread(target=server.extensions[EXTENSION].warm, name="econ-cache-warm", daemon=True).start()
