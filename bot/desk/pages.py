"""Rendering and the headers every desk response carries.

The same rules as the child's chat (Jinja2 autoescape, no inline script or style, nothing
third-party), plus 'wasm-unsafe-eval': Argon2id runs in WebAssembly in the coordinator's
browser, which is what keeps the passphrase off this server.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.swedish_dates import long_form

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
BUNDLE = STATIC_DIR / "desk.js"

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

STATUS_LABELS = {"planned": "planerat", "cancelled": "inställt", "erased": "raderat",
                 "held": "genomfört"}
PREPARATION_LABELS = {"inte påbörjad": "har sagt ja, inte påbörjad", "pågår": "förbereder",
                      "klar": "klar, inget delat med dig", "klar och skickad": "skickat till dig"}

# The audit trail in the coordinator's language; the stored action names stay English.
ACTION_LABELS = {
    "create": "skapade", "change": "ändrade", "cancel": "ställde in", "invite": "bjöd in",
    "revoke": "spärrade koden", "use_code": "använde koden", "approve": "godkände och skickade",
    "deliver": "levererade förseglat", "decrypt": "öppnade", "replace": "ersatte",
    "erase": "raderade", "pause": "pausade meddelanden", "resume": "tog emot meddelanden igen",
    "minimise": "gallrade", "link": "kopplade Telegram",
}
ACTOR_LABELS = {"person": "barnet eller vårdnadshavaren", "coordinator": "samordnaren",
                "service": "tjänsten", "cli": "administratör (kommandorad)",
                "retention": "gallringen", "recovery": "reservnyckeln", "desk": "skrivbordet"}


def actor_label(actor: str) -> str:
    return ACTOR_LABELS.get(actor.partition(":")[0], actor)


_env = Environment(loader=FileSystemLoader(HERE / "templates"),
                   autoescape=select_autoescape(["html"], default=True),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["when"] = long_form
_env.globals["status_label"] = lambda s: STATUS_LABELS.get(s, s)
_env.globals["preparation_label"] = lambda s: PREPARATION_LABELS.get(s, s)
_env.globals["action_label"] = lambda s: ACTION_LABELS.get(s, s)
_env.globals["actor_label"] = actor_label


def render(template: str, **context) -> str:
    return _env.get_template(template).render(**context)
