"""The desk's routes: each a few lines that call the services a coordinator may use.

Every route past sign-in loads the desk session first and reaches only that coordinator's
own meetings (another's meeting is "not found", never "forbidden": ids are not confirmed).
Every POST carries the session's CSRF token. The child's words never pass through here in
the clear: the server hands the browser sealed envelopes and the wrapped key file.
"""
from __future__ import annotations

import logging
import secrets
from contextlib import contextmanager

from sanic import Sanic, response
from sanic.exceptions import NotFound as SanicNotFound, SanicException
from sanic.request import Request
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.cookies import cookie_value
from bot.desk import forms, letters, pages
from bot.services import (
    audit, desk_accounts, erasure, followups, invitations, invites, meetings, overview,
    statements,
)
from bot.services.errors import NotFound
from bot.store.db import open_store, transaction
from bot.store.keyring import Keyring
from bot.store.models import Person

logger = logging.getLogger("bot.desk")
SESSION_COOKIE = "sipkompis_desk"
SIGNIN_COOKIE = "sipkompis_desk_signin"  # double-submit CSRF token before there is a session
TROUBLE = "Något gick fel. Inget av det du skrev har skickats. Försök igen om en stund."


class SignedOut(Exception):
    """No live desk session (or a POST without its CSRF token)."""


def build_app(settings: Settings) -> Sanic:
    app = Sanic("sipkompis_desk", configure_logging=False)
    app.config.REQUEST_MAX_SIZE = 256 * 1024
    app.static("/static", str(pages.STATIC_DIR))
    secure_cookie = settings.desk_base_url.startswith("https://")
    done = forms.HandledForms()

    @app.before_server_start
    async def start(app_, _loop):
        app_.ctx.factory = open_store(settings.db_url)

    @app.middleware("response")
    async def headers(_request, resp):
        for name, value in pages.SECURITY_HEADERS.items():
            resp.headers[name] = value

    @app.exception(SQLAlchemyError)
    async def store_down(_request, error):
        logger.error("store unavailable: %s", type(error).__name__)
        return page("message.html", status=503, title="Ett ögonblick", text=TROUBLE)

    @app.exception(SanicNotFound)
    async def not_found(_request, _error):
        return page("message.html", status=404, title="Finns inte",
                    text="Sidan finns inte, eller så är mötet inte ditt.")

    @app.exception(Exception)
    async def failed(_request, error):
        status = error.status_code if isinstance(error, SanicException) else 500
        if status >= 500:
            logger.error("request failed: %s", type(error).__name__)  # never its text
        return page("message.html", status=status, title="Ett ögonblick", text=TROUBLE)

    @contextmanager
    def db():
        with transaction(app.ctx.factory) as session:
            yield session, Keyring(session)

    def cookie(resp, name: str, value: str) -> None:
        resp.cookies[name] = value
        for flag, setting in {"httponly": True, "samesite": "Strict", "secure": secure_cookie,
                              "path": "/"}.items():
            resp.cookies[name][flag] = setting

    def page(template: str, status: int = 200, **context):
        return response.html(pages.render(template, **context), status=status)

    def redirect(to: str):
        return response.redirect(to, status=303)

    def signed_in(session, request: Request):
        return desk_accounts.load_session(session, cookie_value(request, SESSION_COOKIE))

    def csrf_ok(desk, request: Request) -> bool:
        return desk_accounts.csrf_ok(desk, request.form.get("csrf"))

    def own_meeting(session, desk, meeting_id: str):
        try:
            meeting = meetings.get(session, meeting_id)
        except NotFound:
            raise SanicNotFound("no such meeting") from None
        if meeting.coordinator_id != desk.coordinator_id:
            raise SanicNotFound("no such meeting")
        return meeting

    def require(session, request: Request, *, posting: bool = False):
        """The signed-in desk session, or SignedOut (the signed-out page, 401). A POST
        must also carry this session's CSRF token: a forged form changes nothing."""
        desk = signed_in(session, request)
        if desk is None or (posting and not csrf_ok(desk, request)):
            raise SignedOut()
        return desk

    def require_meeting(session, request: Request, meeting_id: str, *, posting: bool = False):
        desk = require(session, request, posting=posting)
        return desk, own_meeting(session, desk, meeting_id)

    @app.exception(SignedOut)
    async def signed_out(_request, _error):
        return expired()

    def actor(desk) -> str:
        return f"coordinator:{desk.coordinator_id}"

    def expired():
        return page("signin.html", status=401, csrf="", error="Du är utloggad. Logga in igen.",
                    reload_for_csrf=True)

    # --- sign-in ---------------------------------------------------------------------

    @app.get("/health")
    async def health(_request):
        return response.text("ok")

    @app.get("/")
    async def start_page(request: Request):
        with db() as (session, _keys):
            return redirect("/moten" if signed_in(session, request) else "/logga-in")

    @app.get("/logga-in")
    async def signin_page(request: Request):
        token = secrets.token_urlsafe(24)
        resp = page("signin.html", csrf=token)
        cookie(resp, SIGNIN_COOKIE, token)
        return resp

    def signin_csrf_ok(request: Request) -> bool:
        sent, held = request.form.get("csrf") or "", cookie_value(request, SIGNIN_COOKIE) or ""
        return bool(sent) and bool(held) and secrets.compare_digest(sent, held)

    @app.post("/signin/challenge")
    async def signin_challenge(request: Request):
        if not signin_csrf_ok(request):
            return response.json({"error": "Sidan är för gammal. Ladda om den och försök igen."},
                                 status=403)
        coordinator_id = (request.form.get("coordinator_id") or "").strip()
        with db() as (session, keys):
            try:
                challenge_id, envelope = desk_accounts.new_challenge(
                    session, keys, coordinator_id, request.form.get("totp") or "")
                key_file = desk_accounts.key_file_text(session, keys, coordinator_id)
            except desk_accounts.SigninRefused as refused:
                return response.json({"error": str(refused)}, status=403)
        return response.json({"challenge_id": challenge_id, "key_file": key_file,
                              "envelope": envelope.decode("utf-8")})

    @app.post("/logga-in")
    async def signin_submit(request: Request):
        if not signin_csrf_ok(request):
            return redirect("/logga-in")
        form = request.form
        coordinator_id = (form.get("coordinator_id") or "").strip()
        with db() as (session, keys):
            try:
                token = desk_accounts.sign_in(
                    session, keys, coordinator_id, form.get("challenge_id") or "",
                    form.get("challenge_response") or "", form.get("totp") or "")
            except desk_accounts.SigninRefused as refused:
                fresh = secrets.token_urlsafe(24)
                resp = page("signin.html", status=403, csrf=fresh, error=str(refused),
                            coordinator_id=coordinator_id)
                cookie(resp, SIGNIN_COOKIE, fresh)
                return resp
        resp = redirect("/moten")
        cookie(resp, SESSION_COOKIE, token)
        del resp.cookies[SIGNIN_COOKIE]
        return resp

    @app.post("/logga-ut")
    async def signout(request: Request):
        with db() as (session, _keys):
            desk = signed_in(session, request)
            if desk is not None and csrf_ok(desk, request):
                if request.form.get("everywhere"):
                    desk_accounts.sign_out_everywhere(session, desk.coordinator_id, actor=actor(desk))
                else:
                    desk_accounts.sign_out(session, cookie_value(request, SESSION_COOKIE))
        resp = page("signed_out.html")
        del resp.cookies[SESSION_COOKIE]
        return resp

    @app.get("/nyckelfil")
    async def key_file(request: Request):
        """The wrapped key file, for a browser that lost the unlocked key (a new tab after a
        restart): it is passphrase-protected, and only this coordinator gets their own."""
        with db() as (session, keys):
            desk = require(session, request)
            text = desk_accounts.key_file_text(session, keys, desk.coordinator_id)
        return response.text(text or "", content_type="application/json; charset=utf-8")

    @app.post("/telegram")
    async def telegram_link(request: Request):
        """`coordinator link`: a one-time code that links the coordinator's Telegram chat,
        where content-free notices arrive. Shown once, like an invitation code."""
        with db() as (session, keys):
            desk = require(session, request, posting=True)
            code = invites.issue(session, keys, kind="coordinator_link",
                                 coordinator_id=desk.coordinator_id)
            audit.record(session, actor(desk), "invite", "coordinator_link", desk.coordinator_id)
        link = settings.telegram_start_link(code)
        return page("telegram.html", desk=desk, code=invites.display(code), link=link)

    # --- meetings --------------------------------------------------------------------

    @app.get("/moten")
    async def meeting_list(request: Request):
        with db() as (session, keys):
            desk = require(session, request)
            rows = overview.meeting_rows(session, desk.coordinator_id)
            for row in rows:
                child = meetings.child_of(session, row["meeting_id"])
                row["child_name"] = (meetings.person_name(keys, child)
                                     if child is not None and child.name_enc else "(raderat)")
            return page("meetings.html", desk=desk, rows=rows)

    @app.get("/moten/nytt")
    async def new_meeting_page(request: Request):
        with db() as (session, _keys):
            desk = require(session, request)
            return page("meeting_new.html", desk=desk, values={}, errors={},
                        form_id=secrets.token_urlsafe(12))

    @app.post("/moten")
    async def create_meeting(request: Request):
        with db() as (session, keys):
            desk = require(session, request, posting=True)
            form_id = (desk.coordinator_id, request.form.get("form_id") or "")
            if form_id in done:
                return redirect(f"/moten/{done[form_id]}")
            checked = forms.meeting_form(request.form)
            if not checked.ok:
                return page("meeting_new.html", status=400, desk=desk, values=checked.values,
                            errors=checked.errors, form_id=form_id[1])
            v, d = checked.values, checked.data
            meeting, _child, warnings = meetings.create(
                session, keys, coordinator_id=desk.coordinator_id, child_name=v["child_name"],
                starts_at=d["starts_at"], place=v["place"], purpose=v["purpose"],
                participants=d["participants"], child_age_band=d["child_age_band"],
                purpose_for_child=v["purpose_for_child"] or None)
            done.remember(form_id, meeting.id)
            return redirect(f"/moten/{meeting.id}")

    def meeting_page(session, keys, desk, meeting, status: int = 200, **extra):
        if meeting.key_id is None:  # erased: the bare row says what happened, nothing more
            return page("message.html", status=410 if status == 200 else status, desk=desk,
                        title="Mötet är raderat", text="Allt om mötet är raderat. Inget finns kvar att visa.",
                        link=(f"/moten/{meeting.id}/handelser", "Vad som hände med mötet"))
        view = meetings.view(session, keys, meeting.id)
        sealed = [{"id": row.id, "created_at": row.created_at, "opened": row.fetched_at is not None}
                  for row, _envelope in statements.sealed_for_meeting(
                      session, keys, desk.coordinator_id, meeting.id)]
        latest = followups.recorded_outcome(session, keys, meeting.id)
        context = {"desk": desk, "meeting": view, "row": overview.meeting_row(session, meeting),
                   "invitees": invitations.invitees(session, keys, meeting.id), "sealed": sealed,
                   "outcome": latest, "values": {}, "errors": {}, "change_values": {},
                   "change_errors": {}}
        context.update(extra)
        return page("meeting.html", status=status, **context)

    @app.get("/moten/<meeting_id>")
    async def show_meeting(request: Request, meeting_id: str):
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id)
            return meeting_page(session, keys, desk, meeting)

    @app.post("/moten/<meeting_id>/andra")
    async def change_meeting(request: Request, meeting_id: str):
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id, posting=True)
            checked = forms.change_form(request.form)
            if not checked.ok:
                return meeting_page(session, keys, desk, meeting, status=400,
                                    change_values=checked.values, change_errors=checked.errors)
            try:
                if checked.values["purpose_for_child"]:
                    meetings.set_purpose_for_child(session, keys, meeting.id,
                                                   checked.values["purpose_for_child"], actor=actor(desk))
                if checked.data["starts_at"] or checked.values["place"]:
                    meetings.update(session, keys, meeting.id, starts_at=checked.data["starts_at"],
                                    place=checked.values["place"] or None, actor=actor(desk))
            except NotFound:
                return meeting_page(session, keys, desk, meeting, status=409, change_values=checked.values,
                                    change_errors={"form": "Mötet är inställt eller raderat och kan inte ändras."})
        return redirect(f"/moten/{meeting_id}")

    @app.post("/moten/<meeting_id>/installt")
    async def cancel_meeting(request: Request, meeting_id: str):
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id, posting=True)
            if meeting.status == "planned":
                meetings.cancel(session, keys, meeting.id, actor=actor(desk))
        return redirect(f"/moten/{meeting_id}")

    @app.post("/moten/<meeting_id>/inbjudan")
    async def invite(request: Request, meeting_id: str):
        """The letter is this response itself: the code is shown once and never stored, so
        it cannot be put behind a redirect (and never into a URL)."""
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id, posting=True)
            role = request.form.get("role") or ""
            try:
                made = invitations.invite(session, keys, meeting.id, role=role,
                                          name=(request.form.get("name") or "").strip()[:200] or None,
                                          actor=actor(desk))
            except (invitations.InviteRefused, ValueError):
                return meeting_page(session, keys, desk, meeting, status=409,
                                    invite_error="Mötet tar inte emot nya inbjudningar.")
            view = meetings.view(session, keys, meeting.id)
            return page("invitation.html", desk=desk, meeting=view,
                        letter=letters.letter(settings, made.code, made.role))

    @app.post("/moten/<meeting_id>/sparra")
    async def revoke(request: Request, meeting_id: str):
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id, posting=True)
            try:
                invitations.revoke(session, keys, request.form.get("person_id") or "",
                                   actor=actor(desk), meeting_id=meeting.id)
            except NotFound:
                raise SanicNotFound("no such person") from None
        return redirect(f"/moten/{meeting_id}")

    @app.post("/moten/<meeting_id>/radera")
    async def erase(request: Request, meeting_id: str):
        """`forget` for one person of this meeting: the child (and with them everything of
        the meeting) or a guardian. Only with the box ticked: it cannot be undone."""
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id, posting=True)
            person = session.get(Person, request.form.get("person_id") or "")
            if person is None or person.meeting_id != meeting.id:
                raise SanicNotFound("no such person")
            if request.form.get("confirm") != "ja":
                return meeting_page(session, keys, desk, meeting, status=400,
                                    erase_error="Kryssa i rutan först: det går inte att ångra.")
            erasure.forget(session, keys, person.id, actor=actor(desk))
        return redirect(f"/moten/{meeting_id}")

    @app.post("/moten/<meeting_id>/beslut")
    async def write_outcome(request: Request, meeting_id: str):
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id, posting=True)
            checked = forms.outcome_form(request.form)
            if checked.ok:
                try:
                    followups.record_outcome(
                        session, keys, meeting.id, checked.values["text"], checked.data["points"],
                        checked.data["next_followup"], actor=actor(desk),
                        answers=checked.data["answers"])
                except followups.OutcomeRefused as refused:
                    checked.errors["form"] = forms.outcome_refusal(str(refused))
            if not checked.ok:
                return meeting_page(session, keys, desk, meeting, status=400,
                                    values=checked.values, errors=checked.errors)
        return redirect(f"/moten/{meeting_id}#beslut")

    @app.get("/moten/<meeting_id>/handelser")
    async def audit_trail(request: Request, meeting_id: str):
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id)
            # The bare row, not the view: an erased meeting's trail says what happened to it.
            return page("audit.html", desk=desk, meeting=meeting,
                        events=audit.for_meeting(session, meeting.id))

    @app.get("/moten/<meeting_id>/barnets-ord")
    async def childs_words(request: Request, meeting_id: str):
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id)
            if meeting.key_id is None:
                return meeting_page(session, keys, desk, meeting)
            sealed = [{"id": row.id, "created_at": row.created_at}
                      for row, _ in statements.sealed_for_meeting(session, keys, desk.coordinator_id,
                                                                   meeting.id)]
            return page("words.html", desk=desk, meeting=meetings.view(session, keys, meeting.id),
                        sealed=sealed)

    # --- sealed envelopes: handed over as they are --------------------------------------

    @app.get("/moten/<meeting_id>/forseglat/<delivery_id>")
    async def envelope(request: Request, meeting_id: str, delivery_id: str):
        with db() as (session, keys):
            desk, meeting = require_meeting(session, request, meeting_id)
            for row, sealed in statements.sealed_for_meeting(session, keys, desk.coordinator_id,
                                                             meeting.id):
                if row.id == delivery_id:
                    return response.raw(sealed, content_type="application/json; charset=utf-8")
        raise SanicNotFound("no such envelope")

    @app.post("/moten/<meeting_id>/forseglat/<delivery_id>/last")
    async def opened(request: Request, meeting_id: str, delivery_id: str):
        """The browser opened and verified the envelope: the receipt the child may see."""
        with db() as (session, _keys):
            desk, _meeting = require_meeting(session, request, meeting_id, posting=True)
            if not statements.mark_opened(session, desk.coordinator_id, delivery_id):
                raise SanicNotFound("no such envelope")
        return response.text("", status=204)

    return app
