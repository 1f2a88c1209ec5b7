"""The dashboard's pages; each module has ``KEY``, ``PATH``, ``layout(**query)`` and ``register(app)``."""
