"""The web chat's routes: each a few lines that call logins, sessions and transcript.

Every POST carries the session's CSRF token; every chat form a one-time nonce (nonces.py)
that is also the message id sent to Rasa, so a double-submitted form is relayed once.
After a POST the browser is redirected to /chat: nothing typed ever lands in a URL.
"""
from __future__ import annotations

import asyncio
import logging
import re
import secrets
from contextlib import contextmanager
from functools import lru_cache

import httpx
import yaml
from sanic import Sanic, response
from sanic.exceptions import NotFound, SanicException
from sanic.request import Request
from sqlalchemy.exc import SQLAlchemyError

from bot.channels import crisis
from bot.channels.relay import RasaUnavailable, Refused, TooLong, register_conversation, relay
from bot.channels.typed_text import as_typed_text, normalise
from bot.channels.web import guesses, logins, nonces, pages, pins, sessions, transcript
from bot.channels.web.turns import Turns
from bot.config import Settings
from bot.cookies import cookie_value
from bot.services.conversations import discard, identity
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
from bot.store.web_models import WebSession

logger = logging.getLogger("bot.channels.web")
HELP_NOW = "/help_now"
# \Z, not $: "$" also matches before a trailing newline.
_NONCE = re.compile(r"^[A-Za-z0-9_\-]{16,64}\Z")
# After showing the help, how long the page waits for Rasa's answer before it comes back
# anyway (the answer is then shown at the next page load).
QUICK_ANSWER = 1.5


@lru_cache(maxsize=1)
def texts() -> dict:
    return yaml.safe_load((pages.HERE / "texts.yml").read_text(encoding="utf-8"))


def build_app(settings: Settings) -> Sanic:
    app = Sanic("sipkompis_web", configure_logging=False)
    app.config.REQUEST_MAX_SIZE = 256 * 1024
    app.config.PROXIES_COUNT = settings.web_proxies
    # Longer than relay()'s own wait for Rasa, so a slow turn ends in our kind message,
    # never in the server's generic timeout page.
    app.config.RESPONSE_TIMEOUT = 180
    app.static("/static", str(pages.STATIC_DIR))
    secure_cookie = settings.web_base_url.startswith("https://")
    pending = logins.PendingCodes()
    turns = Turns()

    @app.before_server_start
    async def start(app_, _loop):
        app_.ctx.factory = open_store(settings.db_url)
        app_.ctx.http = httpx.AsyncClient()
        crisis.warm_up()

    @app.after_server_stop
    async def stop(app_, _loop):
        await turns.close()
        await app_.ctx.http.aclose()

    @app.middleware("response")
    async def headers(_request, resp):
        for name, value in pages.SECURITY_HEADERS.items():
            resp.headers[name] = value

    @app.exception(SQLAlchemyError)
    async def store_down(_request, error):
        logger.error("store unavailable: %s", type(error).__name__)
        return page("message.html", status=503, title="Ett ögonblick", text=texts()["store_down"])

    @app.exception(NotFound)
    async def not_found(_request, _error):
        return page("message.html", status=404, title="Sidan finns inte", text=texts()["not_found"],
                    back="/")

    @app.exception(Exception)
    async def failed(_request, error):
        status = error.status_code if isinstance(error, SanicException) else 500
        if status >= 500:
            # Only the type: an exception's text may quote what it was handling.
            logger.error("request failed: %s", type(error).__name__)
        return page("message.html", status=status, title="Ett ögonblick", text=texts()["trouble"],
                    back="/chat")

    @contextmanager
    def db():
        with transaction(app.ctx.factory) as session:
            yield session, Keyring(session)

    def set_session_cookie(resp, token: str) -> None:
        resp.cookies[sessions.COOKIE] = token
        for flag, value in sessions.cookie_flags(secure_cookie).items():
            resp.cookies[sessions.COOKIE][flag] = value

    def page(template: str, status: int = 200, token: str | None = None, **context):
        resp = response.html(pages.render(template, **context), status=status)
        if token:
            set_session_cookie(resp, token)
        return resp

    def redirect(to: str, token: str | None = None, clear: bool = False):
        resp = response.redirect(to, status=303)
        if token:
            set_session_cookie(resp, token)
        elif clear:
            del resp.cookies[sessions.COOKIE]
        return resp

    def forbidden():
        return page("message.html", status=403, title="Försök igen", text=texts()["forbidden"],
                    back="/chat")

    def cookie(request: Request) -> str | None:
        return cookie_value(request, sessions.COOKIE)

    def guard(request: Request, session, keys) -> str:
        """The client address's key for the guessing limits (guesses.py)."""
        return guesses.address_key(session, keys, request.remote_addr or request.ip or "?")

    def refusal(name: str, refused) -> str:
        return texts()[name].format(left=getattr(refused, "left", 0),
                                    wait=logins.wait_words(getattr(refused, "until", None)))

    @app.get("/health")
    async def health(_request):
        return response.text("ok")

    @app.get("/")
    async def start_page(request: Request):
        with db() as (session, _keys):
            ws = sessions.load(session, cookie(request))
            if ws is not None and ws.conversation_id:
                return redirect("/chat")
            token = None
            if ws is None:
                token, ws = sessions.create(session)
            return page("start.html", token=token, csrf=ws.csrf_token)

    @app.get("/hjalp")
    async def help_page(_request):
        from bot.safety.help import DUTY
        from bot.safety.helplines import load_helplines

        return page("help.html", lines=load_helplines().lines, duty=DUTY)

    @app.post("/login")
    async def login(request: Request):
        with db() as (session, keys):
            ws = sessions.load(session, cookie(request))
            if not sessions.csrf_ok(ws, request.form.get("csrf")):
                return forbidden()
            try:
                logins.submit_code(session, keys, ws, request.form.get("code") or "", pending,
                                   guard(request, session, keys))
            except logins.CodeRefused as refused:
                return page("start.html", csrf=ws.csrf_token,
                            error=refusal(f"code_{refused.reason}", refused))
        return redirect("/pin")

    @app.get("/pin")
    async def pin_page(request: Request):
        with db() as (session, _keys):
            ws = sessions.load(session, cookie(request))
            if ws is None or not ws.pending:
                return redirect("/")
            return page("pin.html", csrf=ws.csrf_token, mode=ws.pending)

    @app.post("/pin")
    async def pin_submit(request: Request):
        form_pin = (request.form.get("pin") or "").strip()
        with db() as (session, keys):
            ws = sessions.load(session, cookie(request))
            if not sessions.csrf_ok(ws, request.form.get("csrf")):
                return forbidden()
            if not ws.pending:
                return redirect("/")
            csrf, mode, ws_hash = ws.csrf_token, ws.pending, ws.id_hash
            if mode == "enter_pin":
                try:
                    # Scrypt takes a tenth of a second: fine inline at this scale.
                    login_row = logins.check_login(session, keys, ws, form_pin,
                                                   guard(request, session, keys))
                except logins.PinRefused as refused:
                    return page("pin.html", csrf=csrf, mode=mode,
                                error=refusal(f"pin_{refused.reason}", refused))
                if logins.take_untold_lockouts(login_row):
                    # Perhaps someone else tried: the person should know, and whom to tell.
                    transcript.append(session, keys, login_row.conversation_id, [
                        {"who": "bot", "text": texts()["pin_was_locked"], "buttons": []}])
                token, _fresh = logins.log_in(session, ws, login_row)
                return redirect("/chat", token=token)
        return await first_visit(request, form_pin, csrf, ws_hash)

    async def first_visit(request: Request, form_pin: str, csrf: str, ws_hash: str):
        held = pending.get(ws_hash)
        if held is None:
            with db() as (session, _keys):
                ws = sessions.load(session, cookie(request))
                if ws is not None:
                    ws.pending = None
            return page("start.html", csrf=csrf, error=texts()["code_again"])
        problem = pins.new_pin_problem(form_pin)
        if problem is not None:
            return page("pin.html", csrf=csrf, mode="choose_pin",
                        error=texts()["pin_invalid" if problem == "length" else "pin_easy"])
        if form_pin != (request.form.get("pin2") or "").strip():
            return page("pin.html", csrf=csrf, mode="choose_pin", error=texts()["pin_mismatch"])
        pin_hash = pins.hash_pin(form_pin)
        try:
            register_conversation(settings.db_url, held.conversation_id, "web")
            replies = await relay(app.ctx.http, settings.webhook_urls, held.conversation_id,
                                  held.code, held.message_id)
        except (RasaUnavailable, TooLong):
            return page("pin.html", csrf=csrf, mode="choose_pin", error=texts()["trouble"])
        with db() as (session, keys):
            ident = identity(session, held.conversation_id)
            ws = sessions.load(session, cookie(request))
            if ident is None or ident.person is None or ident.person.id != held.person_id:
                # Used up or revoked in the meantime: this conversation belongs to nobody.
                discard(session, keys, held.conversation_id)
                pending.drop(ws_hash)
                if ws is not None:
                    ws.pending = None
                return page("start.html", csrf=csrf, error=texts()["code_wrong"])
            login_row = logins.save_login(session, held, pin_hash)
            transcript.append(session, keys, held.conversation_id, transcript.from_replies(replies))
            if ws is None:  # the session ran out while Rasa answered; the code is used now
                _token, ws = sessions.create(session)
            token, _fresh = logins.log_in(session, ws, login_row)
        pending.drop(ws_hash)
        return redirect("/chat", token=token)

    def chat_context(session, keys, ws) -> dict:
        transcript.deliver_outbox(session, keys, ws.conversation_id)
        lines = transcript.read(session, keys, ws.conversation_id)
        ident = identity(session, ws.conversation_id)
        buttons = transcript.offered(lines)
        return {"csrf": ws.csrf_token, "lines": lines, "buttons": buttons,
                "asks_for_text": transcript.asks_for_text(buttons),
                "latest": transcript.latest_turn(lines),
                "nonce": secrets.token_urlsafe(18), "help_now": HELP_NOW,
                "role": ident.role if ident else "unknown",
                "waiting": texts()["waiting"] if turns.waiting(ws.conversation_id) else None,
                "waiting_link": texts()["waiting_link"]}

    @app.get("/chat")
    async def chat(request: Request):
        with db() as (session, keys):
            ws = sessions.load(session, cookie(request))
            if ws is None or not ws.conversation_id:
                return redirect("/")
            return page("chat.html", **chat_context(session, keys, ws))

    @app.post("/send")
    async def send(request: Request):
        form = request.form
        nonce = form.get("nonce") or ""
        with db() as (session, keys):
            ws = sessions.load(session, cookie(request))
            if not sessions.csrf_ok(ws, form.get("csrf")) or not ws.conversation_id:
                return forbidden()
            if not _NONCE.fullmatch(nonce):
                return redirect("/chat#senaste")
            conversation_id, ws_hash, person_id = ws.conversation_id, ws.id_hash, ws.person_id
            offered = transcript.offered(transcript.read(session, keys, conversation_id))
        choice = form.get("payload")
        typed = form.get("text") or ""
        if choice is not None:
            titles = {b["payload"]: b["title"] for b in offered}
            titles.setdefault(HELP_NOW, "Hjälp nu")
            if choice not in titles:
                return redirect("/chat#senaste")  # not offered to this session: ignored
            message, shown, is_payload = choice, titles[choice], True
        elif as_typed_text(typed).strip():
            message, shown, is_payload = typed, normalise(typed).strip(), False
        else:
            return redirect("/chat#senaste")  # empty, or only invisible characters
        if is_payload:
            category = crisis.GENERAL if message == HELP_NOW else None
        else:
            category = crisis.category_of(typed)
        if not await nonces.claim(app.ctx.factory, nonce, ws_hash):
            return redirect("/chat#senaste")  # the same form again: handled once
        if category is not None or turns.waiting(conversation_id):
            # Help first, from here; Rasa gets the message behind the page's back.
            return await in_background(conversation_id, message, shown, nonce, is_payload, category)
        try:
            async with turns.lock(conversation_id):
                replies = await relay(app.ctx.http, settings.webhook_urls, conversation_id, message,
                                      nonce, payload=is_payload)
        except (RasaUnavailable, TooLong, Refused) as error:
            nonces.release(app.ctx.factory, nonce)
            return await trouble(request, typed, message == HELP_NOW, nonce, error)
        with db() as (session, keys):
            lines = [{"who": "child", "text": shown, "buttons": []}] + transcript.from_replies(replies)
            transcript.append(session, keys, conversation_id, lines)
            nonces.done(session, nonce)
            ident = identity(session, conversation_id)
            if ident is None or ident.conversation.erased_at or ident.person is None:
                # Erased ("radera allt") or unlinked: show the last answer once, then forget.
                sessions.forget_if_erased(session, person_id, conversation_id)
                transcript.purge(session, conversation_id)
                ws = session.get(WebSession, ws_hash)
                if ws is not None:
                    sessions.end(session, ws)
                resp = page("erased.html", lines=transcript.from_replies(replies))
                del resp.cookies[sessions.COOKIE]
                return resp
        return redirect("/chat#senaste")

    async def in_background(conversation_id: str, message: str, shown: str, nonce: str,
                            is_payload: bool, category: str | None):
        """Show the child's message and, for a crisis or "Hjälp nu", the help at once;
        relay the message in the background (in order after any earlier one still on its
        way) and come back without waiting long for Rasa."""
        # "Hjälp nu" is a button, not something the child said: not echoed as "Du: Hjälp nu".
        lines = [] if message == HELP_NOW else [{"who": "child", "text": shown, "buttons": []}]
        help_texts: list[str] = []
        if category is not None:
            help_texts = crisis.messages_for(app.ctx.factory, conversation_id, category)
            lines += [{"who": "bot", "text": text, "buttons": []} for text in help_texts]
        try:
            with db() as (session, keys):
                transcript.append(session, keys, conversation_id, lines)
                # Handled, as far as the form goes: a second click must not wait for Rasa.
                nonces.done(session, nonce)
        except SQLAlchemyError as error:
            logger.error("store unavailable: %s", type(error).__name__)
            nonces.release(app.ctx.factory, nonce)
            if not help_texts:
                raise
            # Without the store the help still shows; the child may send again later.
            return page("message.html", status=503, title="Hjälp nu", text="\n\n".join(help_texts),
                        back="/chat")

        def answered(replies: list[dict]) -> None:
            with db() as (session, keys):
                transcript.append(session, keys, conversation_id, transcript.from_replies(replies))

        def failed(text_key: str) -> None:
            with db() as (session, keys):
                transcript.append(session, keys, conversation_id,
                                  [{"who": "bot", "text": texts()[text_key], "buttons": []}])

        task = turns.start(app.ctx.http, settings.webhook_urls, conversation_id, message, nonce,
                           payload=is_payload,
                           metadata=crisis.HELP_SHOWN if category is not None else None,
                           answered=answered, failed=failed)
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=QUICK_ANSWER)
        except asyncio.TimeoutError:
            pass
        # The in-chat "Hjälp nu" opens the help page (numbers as links to tap); the same help
        # also stays in the chat for when the child comes back.
        return redirect("/hjalp" if message == HELP_NOW else "/chat#senaste")

    async def trouble(request: Request, typed: str, wants_help: bool, nonce: str, error: Exception):
        """Rasa cannot answer: say so kindly, keep the typed text in the field, and if the
        child asked for help or wrote about danger, show the help numbers from here."""
        from bot.safety.detector import detect
        from bot.safety.helplines import load_helplines

        crisis = wants_help or (bool(typed) and detect(typed).crisis)
        with db() as (session, keys):
            ws = sessions.load(session, cookie(request))
            if ws is None or not ws.conversation_id:
                return redirect("/")
            context = chat_context(session, keys, ws)
        # The same nonce again: a retry that Rasa did receive after all is answered once.
        context.update(nonce=nonce, kept=typed,
                       error=texts()["too_long" if isinstance(error, TooLong) else "trouble"],
                       local_help=load_helplines().lines if crisis else None)
        return page("chat.html", **context)

    @app.post("/exit")
    async def quick_exit(request: Request):
        """Leave at once: end the session if the token matches, and always leave."""
        with db() as (session, _keys):
            ws = sessions.load(session, cookie(request))
            if ws is not None and sessions.csrf_ok(ws, request.form.get("csrf")):
                pending.drop(ws.id_hash)
                sessions.end(session, ws)
        if request.form.get("beacon"):
            resp = response.empty()
        else:
            resp = response.redirect(pages.NEUTRAL_SITE, status=303)
        del resp.cookies[sessions.COOKIE]
        # Without JavaScript the chat stays in the history; this drops the browser's stored
        # copies (and its back-forward cache), so Back shows nothing of the chat.
        resp.headers["Clear-Site-Data"] = '"cache", "cookies"'
        return resp

    @app.post("/logout")
    async def logout(request: Request):
        with db() as (session, _keys):
            ws = sessions.load(session, cookie(request))
            if ws is not None:
                if not sessions.csrf_ok(ws, request.form.get("csrf")):
                    return forbidden()
                pending.drop(ws.id_hash)
                sessions.end(session, ws)
        resp = redirect("/utloggad", clear=True)
        resp.headers["Clear-Site-Data"] = '"cache", "cookies"'
        return resp

    @app.get("/utloggad")
    async def logged_out(_request):
        return page("message.html", title="Du är utloggad", text=texts()["logged_out"], back="/",
                    back_text="Logga in igen")

    return app
