"""The shared layer's small helpers that every app uses: links, user labels, PDF responses."""

from hubs.links import absolute_url
from hubs.pdf import pdf_fonts, pdf_response, render_pdf
from people.models import User


def test_absolute_links_start_at_the_site_url(settings):
    settings.SITE_URL = "https://portale.example.org"
    assert absolute_url("set_language") == "https://portale.example.org/i18n/setlang/"


def test_a_user_is_named_by_full_name_or_else_by_e_mail():
    assert User(email="anna@example.org", first_name="Anna", last_name="Rossi").label == "Anna Rossi"
    assert User(email="anna@example.org").label == "anna@example.org"
    assert str(User(email="anna@example.org")) == "anna@example.org"


def test_a_pdf_response_is_shown_or_downloaded_and_never_cached():
    shown = pdf_response(b"%PDF-1.7", "scheda.pdf")
    assert shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"] == 'inline; filename="scheda.pdf"'
    assert "no-store" in shown["Cache-Control"]
    assert pdf_response(b"%PDF", "x.pdf", inline=False)["Content-Disposition"].startswith("attachment;")


def test_pdfs_render_with_the_design_system_font(tmp_path, settings):
    from pypdf import PdfReader

    assert pdf_fonts(), "the built static assets hold Titillium Web"
    (tmp_path / "page.html").write_text(
        '<html><head><style>{% include "includes/pdf_fonts.html" %}'
        'body { font-family: "Titillium Web"; }</style></head><body>{{ words }}</body></html>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    content = render_pdf("page.html", {"words": "Ciao"})
    assert content.startswith(b"%PDF")
    out = tmp_path / "x.pdf"
    out.write_bytes(content)
    fonts = {
        str(font.get("/BaseFont"))
        for page in PdfReader(out).pages
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
        for font in [font.get_object()]
    }
    assert any("Titillium" in name for name in fonts), fonts
