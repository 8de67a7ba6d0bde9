// Enhancements only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Quick exit: replace this page in the history, so Back does not bring the chat back.
  // The session is ended in the background (sendBeacon), so Back shows the start page.
  var exit = document.getElementById("lamna-snabbt-form");
  if (exit) {
    exit.addEventListener("submit", function (event) {
      event.preventDefault();
      event.stopImmediatePropagation();
      document.body.hidden = true;
      var data = new FormData(exit);
      data.append("beacon", "1");
      if (navigator.sendBeacon) { navigator.sendBeacon("/exit", data); }
      window.location.replace(exit.dataset.neutral);
    });
  }
  // A second click while a form is being sent would only be ignored by the server.
  document.querySelectorAll("form:not(#lamna-snabbt-form)").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  });
});
