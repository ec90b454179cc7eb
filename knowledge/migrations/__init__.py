"""Alembic migrations of the data layer; run them with ``python -m knowledge migrate``."""
