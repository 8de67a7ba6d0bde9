"""Rendering and the headers every response carries.

Jinja2 autoescapes everything, so a child's text can never become markup. The CSP allows
only this site's own files: no inline script or style, no third-party anything.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
# The quick exit goes somewhere neutral that anyone could be looking at.
NEUTRAL_SITE = "https://www.google.com/search?q=v%C3%A4der"

# form-action names the neutral site because the quick exit without JavaScript is a form
# that ends the session and is then redirected there.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'self'; form-action 'self' https://www.google.com; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    # No copy of a chat in any cache, and the back button after a quick exit shows nothing.
    "Cache-Control": "no-store",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_env = Environment(loader=FileSystemLoader(HERE / "templates"),
                   autoescape=select_autoescape(["html"], default=True),
                   trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context) -> str:
    return _env.get_template(template).render(neutral_site=NEUTRAL_SITE, **context)
