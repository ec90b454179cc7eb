"""`GET /healthz`: is every part of the assistant up?"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text as sql_text

router = APIRouter(tags=["health"])


async def _http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def _database_ok(request: Request) -> bool:
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(sql_text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any driver error means "down" for a health check
        return False
    return True


@router.get("/healthz", summary="État de l'assistant")
async def healthz(request: Request) -> JSONResponse:
    """200 when Rasa, the action server and the database all answer, 503 otherwise."""
    settings = request.app.state.settings
    rasa_up, actions_up, database_up = await asyncio.gather(
        request.app.state.router.rasa.is_up(),
        _http_ok(settings.action_server_health_url),
        asyncio.to_thread(_database_ok, request),
    )
    checks: dict[str, Any] = {"rasa": rasa_up, "actions": actions_up, "database": database_up}
    healthy = all(checks.values())
    return JSONResponse(
        status_code=200 if healthy else 503,
        content={"status": "ok" if healthy else "degraded", "checks": checks},
    )
