"""Fixtures of the actions lane. The schemes area's knowledge base lives in schemes_kb.py."""

from tests.actions.schemes_kb import schemes_kb, schemes_kb_url

__all__ = ["schemes_kb", "schemes_kb_url"]
