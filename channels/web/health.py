"""`GET /healthz`: is every part of the assistant up?"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


async def _http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


# Below this much free space next to a SQLite file, writes are about to fail: report it.
MIN_FREE_BYTES = 50 * 1024 * 1024


def _database_ok(request: Request) -> bool:
    """Can the database take a write right now (not only answer a read)?"""
    engine = request.app.state.engine
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                # Taking the write lock fails when the file is locked or read-only; a short
                # wait keeps the health check quick.
                connection.exec_driver_sql("PRAGMA busy_timeout = 500")
                try:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                    connection.exec_driver_sql("ROLLBACK")
                finally:  # the pooled connection goes back with the driver's usual 5 s
                    connection.exec_driver_sql("PRAGMA busy_timeout = 5000")
            elif connection.exec_driver_sql("SHOW transaction_read_only").scalar() == "on":
                return False
    except Exception:  # noqa: BLE001 - any driver error means "down" for a health check
        return False
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return shutil.disk_usage(Path(database).resolve().parent).free >= MIN_FREE_BYTES
    return True


@router.get("/healthz", summary="État de l'assistant")
async def healthz(request: Request) -> JSONResponse:
    """200 when Rasa and the action server answer and the database takes writes, else 503."""
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
