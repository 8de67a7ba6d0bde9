// Enhancements only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Quick exit: replace this page in the history, so Back does not bring the chat back.
  // The session is ended in the background (sendBeacon), so Back shows the start page.
  var exit = document.getElementById("lamna-snabbt-form");
  function leave() {
    document.body.hidden = true;
    var data = new FormData(exit);
    data.append("beacon", "1");
    if (navigator.sendBeacon) { navigator.sendBeacon("/exit", data); }
    window.location.replace(exit.dataset.neutral);
  }
  if (exit) {
    exit.addEventListener("submit", function (event) {
      event.preventDefault();
      event.stopImmediatePropagation();
      leave();
    });
    // Esc leaves from anywhere on the page, also while typing: the fastest way out
    // when someone comes into the room.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); leave(); }
    });
  }
  // Enter sends, as in every chat app; Shift+Enter is a new line. Not while an input
  // method is composing a character, and never an empty message.
  var field = document.getElementById("text");
  if (field && field.form) {
    document.querySelectorAll(".js-only").forEach(function (hint) { hint.hidden = false; });
    field.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing) { return; }
      event.preventDefault();
      if (field.value.trim() && !field.form.dataset.sent) { field.form.requestSubmit(); }
    });
  }
  // An error is read where the child is typing: bring it and the kept text into view.
  var error = document.getElementById("fel");
  if (error && field) {
    error.scrollIntoView({block: "center"});
    field.focus();
  }
  // A second click while a form is being sent would only be ignored by the server.
  document.querySelectorAll("form:not(#lamna-snabbt-form)").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  });
});
