"""
Bootstrap Italia's fonts (Titillium Web, Lora, Roboto Mono) are declared by the portal's own
stylesheet, linked from every page, and every file it names is served from static/vendor/: the
library's own loader (JavaScript injecting a <style>) is blocked by the Content-Security-Policy.
"""

import re

from django.contrib.staticfiles import finders
from django.template.loader import get_template


def test_every_font_face_points_at_a_served_file():
    css = finders.find("css/fonts.css")
    text = open(css, encoding="utf-8").read()
    families = set(re.findall(r'font-family: "([^"]+)"', text))
    urls = re.findall(r'url\("\.\./([^"]+)"\)', text)
    assert families == {"Titillium Web", "Lora", "Roboto Mono"}
    assert len(urls) >= 2 * text.count("@font-face")  # woff2 and woff for each face
    missing = [url for url in urls if not finders.find(url)]
    assert missing == []


def test_every_page_links_the_fonts_before_the_portals_styles():
    source = get_template("base.html").template.source
    assert source.index("css/fonts.css") < source.index("css/site.css")
