"""
PDFs of the portal (WeasyPrint, A4): one renderer with the design system's fonts, and the
response that hands a PDF to the browser.

A template includes `includes/pdf_fonts.html` inside its `<style>` to declare Titillium Web
(the fonts come from the built static assets; DejaVu Sans, a Debian font, stands in when they
are missing). Documents are rendered in the portal's language (Italian) unless told otherwise.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

FONT_DIR = "vendor/bootstrap-italia/fonts/Titillium_Web"


def pdf_fonts() -> list[dict]:
    """Titillium Web's weights as `{"weight", "url"}`, when the built assets hold them."""
    found = []
    for weight, name in ((400, "regular"), (600, "600"), (700, "700")):
        path = finders.find(f"{FONT_DIR}/titillium-web-v10-latin-ext_latin-{name}.ttf")
        if path:
            found.append({"weight": weight, "url": f"file://{path}"})
    return found


def render_html(template_name: str, context: dict, *, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string(template_name, {"pdf_fonts": pdf_fonts(), **context})


def render_pdf(
    template_name: str, context: dict, *, language: str | None = None, tagged: bool = False
) -> bytes:
    """
    The PDF (bytes) of `template_name` rendered with `context`. A `tagged` PDF (PDF/UA-1, for
    reports that people read on screen) carries its structure: headings, paragraphs, tables and
    the reading order, which screen readers and the reflow of PDF viewers follow; the document's
    `<title>` and `lang` become its title and language.
    """
    from weasyprint import HTML  # imported on use: it takes most of a second to load

    html = render_html(template_name, context, language=language)
    options = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**options)


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """A PDF for the browser: shown in its viewer (`inline`) or downloaded, never cached."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
