"""The welcome kit as a PDF (fpdf2) with an embedded Unicode font, from the same view as the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF

# DejaVu Sans from Debian's fonts-dejavu-core (scripts/install-system.sh installs it):
# the PDF core fonts cannot print "œ", "€" or the narrow no-break spaces of French text.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
LINE = 5.5
BODY = 9.5


class KitFontMissing(RuntimeError):
    """The Unicode font the PDF needs is not installed."""


def _pdf(title: str) -> FPDF:
    if not FONT_REGULAR.exists() or not FONT_BOLD.exists():
        raise KitFontMissing(str(FONT_DIR))
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_lang("fr")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FAMILY, "", str(FONT_REGULAR))
    pdf.add_font(FAMILY, "B", str(FONT_BOLD))
    pdf.add_page()
    return pdf


def _write(
    pdf: FPDF, text: str, *, size: float = 10, bold: bool = False, space: float = 1.5
) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    # Left-aligned: justified lines spread long URLs over the whole width.
    pdf.multi_cell(0, LINE * size / 10, text, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(space)


def _item(pdf: FPDF, item: dict[str, Any], labels: dict[str, Any]) -> None:
    # Compact: 2-4 pages for a family (issue 14); the page online has the same content.
    _write(pdf, f"{item['name']} – {item['badge']}", size=10.5, bold=True, space=0)
    if item["warning"]:
        _write(pdf, item["warning"], size=BODY, bold=True, space=0)
    _write(pdf, item["text"], size=BODY, space=0)
    if item["amount"]:
        _write(pdf, item["amount"], size=BODY, space=0)
    for line in item["conditions"]:
        _write(pdf, f"{labels['conditions']} : {line}", size=BODY, space=0)
    for step in item["steps"]:
        _write(pdf, f"{labels['how']} : {step}", size=BODY, space=0)
    if item["contacts"]:
        contacts = " · ".join(f"{c['label']} : {c['value']}" for c in item["contacts"])
        _write(pdf, f"{labels['contact']} : {contacts}", size=BODY, space=0)
    sources = ", ".join(item["sources"])
    _write(
        pdf,
        f"{item['territory']} · {item['date']} · {labels['sources']} : {sources}",
        size=8,
        space=2,
    )


def render_kit_pdf(view: dict[str, Any]) -> bytes:
    """The PDF bytes of a kit view (see ``channels.kit.view.kit_view``)."""
    labels = view["labels"]
    pdf = _pdf(view["title"])
    _write(pdf, view["title"], size=16, bold=True)
    _write(pdf, view["generated_on"], size=9)
    _write(pdf, view["intro"])
    if view["thin_territory"]:
        _write(pdf, view["thin_territory"], bold=True)
    _write(pdf, labels["household_title"], size=13, bold=True)
    for line in view["household"]:
        _write(pdf, f"• {line}", space=0.5)
    pdf.ln(2)
    _write(pdf, labels["toc_title"], size=13, bold=True)
    for number, entry in enumerate(view["toc"], start=1):
        _write(pdf, f"{number}. {entry['title']}", space=0)
    pdf.ln(3)
    _write(pdf, labels["first_week_title"], size=13, bold=True)
    for number, step in enumerate(view["first_week"], start=1):
        _write(pdf, f"{number}. {step['what']}", space=0)
        where = f"{step['where']} · {step['date']}" if step["date"] else step["where"]
        _write(pdf, where, size=9, space=1.5)
    for section in view["sections"]:
        pdf.ln(2)
        _write(pdf, section["title"], size=13, bold=True)
        if section["note"]:
            _write(pdf, section["note"])
        for item in section["entries"]:
            _item(pdf, item, labels)
        if section["organisations"]:
            _write(pdf, labels["organisations_title"], size=11, bold=True, space=0.5)
            for organisation in section["organisations"]:
                _write(pdf, f"• {organisation['line']}", space=0.5)
    if view["support"]:
        pdf.ln(2)
        _write(pdf, labels["support_title"], size=13, bold=True)
        for organisation in view["support"]:
            _write(pdf, f"• {organisation['line']}", space=0.5)
    pdf.ln(4)
    _write(pdf, labels["footer"], size=8.5)
    return bytes(pdf.output())
