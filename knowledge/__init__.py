"""Knowledge base: schemes, organisations, territories and offers (SQLAlchemy 2.0)."""
