"""FastAPI gateway factory: chat API, health, widget and the areas plugged into it."""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from types import FrameType

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.logging import configure_logging
from bot.rasa_client import RasaClient
from bot.settings import Settings, get_settings
from channels.cluster import redis_client
from channels.cluster.counters import RedisRateLimiter
from channels.cluster.replies import RedisReplyCache, ReplyCache
from channels.router import MessageRouter
from channels.texts import text
from channels.web import chat, forget, health
from channels.web.errors import UnexpectedErrors
from channels.web.limits import EdgeLimits, RateLimiter
from knowledge.db import make_engine

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).with_name("static")

# An area (hand-off console, Telegram...) plugs in with an installer that adds its routes and may
# append an async context manager factory to `app.state.startups` for start-up/shut-down work.
FeatureInstaller = Callable[[FastAPI, Settings], None]


def _feature_installers() -> list[FeatureInstaller]:
    """Installers of the areas plugged into the gateway (imported here, not at module import)."""
    from channels.console.install import install as install_console
    from channels.kit import install as install_kit
    from channels.privacy import install as install_privacy
    from channels.telegram.bot import install as install_telegram
    from channels.web.widget import install as install_widget

    return [install_privacy, install_console, install_telegram, install_kit, install_widget]


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(error.get("type") == "json_invalid" for error in errors):
        return JSONResponse(status_code=400, content={"error": text("invalid_json"), "detail": []})
    fields = {str(error.get("loc", ("",))[-1]) for error in errors}
    message = text("invalid_session_id") if fields == {"session_id"} else text("invalid_request")
    detail = [
        {"field": ".".join(str(p) for p in error.get("loc", ())), "type": error.get("type")}
        for error in errors
    ]
    return JSONResponse(status_code=422, content={"error": message, "detail": detail})


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = text("not_found") if exc.status_code == 404 else str(exc.detail)
    return JSONResponse(status_code=exc.status_code, content={"error": message, "detail": []})


def _tell_streams_on_signals(stopping: asyncio.Event) -> Callable[[], None]:
    """Chain SIGTERM/SIGINT to set ``stopping``; returns the function that restores handlers.

    uvicorn waits for open responses before the lifespan's shutdown runs, so long-lived event
    streams must learn about the stop from the signal itself, or every deploy would wait for them.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # tests run the app in a worker thread: no signals there
    loop = asyncio.get_running_loop()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def chained(signum: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(stopping.set)
        handler = previous.get(signal.Signals(signum))
        if callable(handler):
            handler(signum, frame)

    for sig in previous:
        signal.signal(sig, chained)

    def restore() -> None:
        for sig, handler in previous.items():
            if signal.getsignal(sig) is chained and handler is not None:
                signal.signal(sig, handler)

    return restore


def create_app(settings: Settings, *, rasa: RasaClient | None = None) -> FastAPI:
    """Build the gateway for these settings (tests pass a fake Rasa client)."""
    rasa_client = rasa or RasaClient(
        settings.rasa_url,
        timeout=settings.rasa_timeout_seconds,
        api_token=settings.rasa_api_token.get_secret_value() if settings.rasa_api_token else None,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.stopping = asyncio.Event()
        restore = _tell_streams_on_signals(app.state.stopping)
        async with AsyncExitStack() as stack:
            for startup in app.state.startups:
                await stack.enter_async_context(startup())
            yield
        restore()
        await rasa_client.aclose()
        if app.state.redis is not None:
            await app.state.redis.aclose()
        app.state.engine.dispose()

    app = FastAPI(
        title="Assistant emploi et vie locale",
        description="Passerelle du chatbot : API de conversation, widget, console des conseillers.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.router = MessageRouter(rasa_client)
    app.state.startups = []
    # Areas holding personal data register `async (sender_id) -> None` erasers (Telegram /oubli).
    app.state.personal_data_erasers = []
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # Innermost middleware: the security headers and CORS added by areas also wrap its answers.
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(
        EdgeLimits,
        max_body_bytes=settings.max_body_bytes,
        body_timeout=settings.body_timeout_seconds,
    )
    _shared_state(app, settings)
    app.include_router(chat.router)
    app.include_router(health.router)
    app.include_router(forget.router)
    for install in _feature_installers():
        install(app, settings)
    # Erasing a conversation (widget, DELETE /api/chat/{id}, /oubli) drops its kept replies;
    # last, so that Redis being down does not stop the database erasers before it.
    app.state.personal_data_erasers.append(app.state.replies.forget)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "demo.html")

    return app


def _shared_state(app: FastAPI, settings: Settings) -> None:
    """Rate limits and replies kept for resends: in process, or in Redis for every gateway.

    `app.state.redis` (None when `REDIS_URL` is empty) is also what the areas installed after
    this share (console login throttle, Telegram update ids and long button payloads).
    """
    redis = app.state.redis = redis_client(settings)
    # A turn lasts at most Rasa's time-out plus the hand-off gate's database work.
    pending = settings.rasa_timeout_seconds + 60
    if redis is None:
        app.state.chat_limiters = (
            RateLimiter(settings.chat_messages_per_minute_session),
            RateLimiter(settings.chat_messages_per_minute_ip),
        )
        app.state.replies = ReplyCache(settings.chat_replay_seconds, pending)
    else:
        secret, prefix = settings.secret_key.get_secret_value(), settings.redis_prefix
        app.state.chat_limiters = (
            RedisRateLimiter(
                redis, f"{prefix}:rate:session", secret, settings.chat_messages_per_minute_session
            ),
            RedisRateLimiter(
                redis, f"{prefix}:rate:address", secret, settings.chat_messages_per_minute_ip
            ),
        )
        app.state.replies = RedisReplyCache(
            redis, prefix, secret, settings.chat_replay_seconds, pending
        )


def app_from_env() -> FastAPI:
    """Entry point for uvicorn (`--factory`): settings from the environment."""
    settings = get_settings()
    configure_logging(settings.log_level)
    return create_app(settings)
