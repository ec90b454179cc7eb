"""Telegram adapter (python-telegram-bot 22), running inside the gateway process."""
