"""The Dash dashboard: thin pages over a cached, read-only view of the store (see ``app.create_app``)."""
