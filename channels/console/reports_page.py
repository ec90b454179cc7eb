"""`/console/reports`: weekly figures with charts (Chart.js, vendored in static/vendor)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse

from channels.console import reports
from channels.console.pages import STATIC, Page, render
from channels.console.web_auth import Current, api_session, service_of

router = APIRouter(prefix="/console", include_in_schema=False)
api_router = APIRouter(prefix="/console/api", tags=["console"])


@router.get("/reports")
async def reports_page(request: Request, current: Page) -> HTMLResponse:
    """Hand-offs, waits, handling, resolutions and satisfaction by week."""
    data = await service_of(request).db.run(reports.weekly)
    return render("reports.html", current=current, page="reports", report=data)


@api_router.get("/reports", summary="Chiffres par semaine")
async def reports_json(
    request: Request, current: Annotated[Current, Depends(api_session)]
) -> dict[str, Any]:
    """The same figures as JSON."""
    return await service_of(request).db.run(reports.weekly)


@router.get("/static/vendor/chart.umd.min.js")
async def chart_library(current: Page) -> FileResponse:
    """Chart.js 4 (MIT, static/vendor/chart.js-LICENSE.md)."""
    return FileResponse(STATIC / "vendor" / "chart.umd.min.js", media_type="text/javascript")
