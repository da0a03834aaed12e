"""The portal's tests: the Flask test client over every route, on SQLite and PostgreSQL."""
