"""Typed settings shared by every process, read lazily from the environment and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL

_DEV_SECRET = "dev-only-change-me"


class Settings(BaseSettings):
    """Every setting documented in `.env.example`; environment variables win over `.env`."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    app_env: Literal["dev", "test", "prod"] = "dev"
    log_level: str = "INFO"

    rasa_url: str = "http://127.0.0.1:5005"
    rasa_api_token: SecretStr | None = None
    rasa_timeout_seconds: float = 20.0
    action_server_url: str = "http://127.0.0.1:5055/webhook"
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    public_base_url: str = ""

    database_url: str = "sqlite:///var/assistant.db"
    personal_data_retention_days: int = Field(default=180, ge=1)
    # Hours between two runs of the purge inside the running gateway (0: only `make purge`).
    purge_interval_hours: float = Field(default=6.0, ge=0)
    log_dir: str = "var"
    # Rasa's tracker store, which the gateway erases and purges (see knowledge/tracker_store.py).
    rasa_endpoints: str = "endpoints.yml"
    rasa_tracker_db: str = "var/rasa-tracker.db"
    tracker_pg_host: str = "127.0.0.1"
    tracker_pg_port: int = 5432
    tracker_pg_db: str = "test"
    tracker_pg_user: str = "postgres"
    tracker_pg_password: SecretStr = SecretStr("")

    # State shared by several gateway processes (live events, Telegram chat locks and update
    # ids, rate limits, login throttle, replies kept for resends, long button payloads), e.g.
    # redis://127.0.0.1:6379/2. Empty: kept in each process (one gateway).
    redis_url: SecretStr | None = None
    # Prefix of the gateway's Redis keys and channels (several deployments may share a server).
    redis_prefix: str = "assistant"

    max_message_chars: int = Field(default=2000, ge=1)
    # Edge limits of the gateway (channels/web/limits.py).
    max_body_bytes: int = Field(default=64_000, ge=1024)
    body_timeout_seconds: float = Field(default=15.0, gt=0)
    chat_messages_per_minute_session: int = Field(default=30, ge=1)
    chat_messages_per_minute_ip: int = Field(default=300, ge=1)
    # How long the replies to a message carrying a `message_id` are kept, so that a resend of
    # it (after a time-out) gets them again instead of a second turn.
    chat_replay_seconds: int = Field(default=600, ge=10, le=86_400)
    # Sites allowed to embed the widget from another origin (comma-separated, `*` for any).
    widget_allowed_origins: str = ""

    telegram_bot_token: SecretStr | None = None
    telegram_webhook_url: str = ""
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"

    secret_key: SecretStr = SecretStr(_DEV_SECRET)
    office_hours: str = "mon-fri 09:00-17:00"
    handoff_max_wait_minutes: int = 15

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> Settings:
        # A forgotten placeholder secret would let anyone forge adviser sessions.
        if self.app_env == "prod" and self.secret_key.get_secret_value() == _DEV_SECRET:
            raise ValueError("SECRET_KEY must be set to a real secret when APP_ENV=prod")
        return self

    @property
    def base_url(self) -> str:
        """Public URL of the gateway, used to build absolute links."""
        return self.public_base_url.rstrip("/") or f"http://{self.gateway_host}:{self.gateway_port}"

    @property
    def tracker_store_url(self) -> URL:
        """SQLAlchemy URL of the tracker store Rasa uses with ``rasa_endpoints``."""
        if "postgres" in Path(self.rasa_endpoints).name:
            return URL.create(
                "postgresql+psycopg",
                username=self.tracker_pg_user,
                password=self.tracker_pg_password.get_secret_value() or None,
                host=self.tracker_pg_host,
                port=self.tracker_pg_port,
                database=self.tracker_pg_db,
            )
        return URL.create("sqlite", database=self.rasa_tracker_db)

    @property
    def action_server_health_url(self) -> str:
        """The action server's `/health` route, derived from its webhook URL."""
        return self.action_server_url.rsplit("/webhook", 1)[0] + "/health"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read once."""
    return Settings()
