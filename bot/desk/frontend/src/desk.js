// Page glue for the coordinator desk (bundled to /static/desk.js, loaded as a module).
//
// The passphrase field has no name, so the form can never submit it; the key file is
// unlocked here and only the answer to the server's sealed challenge is posted.
// Everything a child wrote is put on the page with textContent, never innerHTML.
import {
  forgetUnlocked,
  loadUnlocked,
  openEnvelope,
  storeUnlocked,
  unlockKeyFile,
} from "./crypto.js";

const TEXT = {
  wrongPassphrase: "Fel lösenfras. Försök igen.",
  notAKeyFile: "Nyckelfilen går inte att läsa.",
  kdfUnavailable: "Webbläsaren kunde inte låsa upp nyckeln. Prova en annan webbläsare.",
  unlocking: "Låser upp nyckeln…",
  signinFailed: "Inloggningen misslyckades. Försök igen.",
  rejected: "Kunde inte öppnas: uttalandet är ändrat eller inte signerat av tjänsten. Det visas inte.",
  otherKey: "Det här är skickat till en annan nyckel.",
  nothingShared: "Barnet valde att inte dela något med dig.",
  unlockButton: "Lås upp",
  passphraseLabel: "Lösenfras",
  unlockHint: "Lås upp din nyckel för att läsa barnets ord.",
  loadFailed: "Kunde inte hämtas. Ladda om sidan.",
  approvedAt: "Godkänt",
  sharedWith: "Delas med",
  use: "På mötet",
};

const HEADINGS = {
  statement: "Barnets ord före mötet",
  feedback: "Barnets svar efter mötet",
};

// How the child wants the item used in the meeting (statement_items.use).
const USES = {
  raise: "får tas upp",
  read_aloud: "läs upp ordagrant",
  coordinator_only: "bara för dig, ta inte upp det",
};

const RECIPIENTS = {
  coordinator: "dig (samordnaren)",
  guardians: "vårdnadshavarna",
};

const ITEM_LABELS = {
  good: "Det här är bra",
  hard: "Det här är svårt",
  wish: "Det här önskar jag",
  question: "Det här vill jag fråga",
  participation: "Så vill jag vara med",
  taking_part: "Mer om hur jag vill vara med",
  about_me: "Det här vill jag att ni vet om mig",
  works: "Det här funkar med mig, och det här inte",
  goal: "Mitt eget mål",
  who_there: "Vilka jag vill ha med, och inte",
  where_when: "Var och när mötet ska vara",
  // After the meeting: the child's answers to "were you heard?", as the questions asked.
  said: "Fick du säga det du ville?",
  listened: "Lyssnade de på dig?",
  understood: "Förstår du vad ni bestämde?",
  mattered: "Kom det viktiga för dig med?",
  more: "Något mer du vill säga eller fråga",
};

// Own properties only: a child's item kind such as "constructor" must show as itself,
// not as whatever Object.prototype holds under that name.
function lookup(table, key) {
  return typeof key === "string" && Object.hasOwn(table, key) ? table[key] : String(key ?? "");
}

// The service writes UTC ISO times; a coordinator reads Swedish local time. Anything that
// is not a time is shown as it came (it is signed data, not ours to drop).
function swedishTime(value) {
  const when = typeof value === "string" ? new Date(value) : null;
  if (!when || Number.isNaN(when.getTime())) return String(value ?? "");
  return when.toLocaleString("sv-SE", {
    timeZone: "Europe/Stockholm", dateStyle: "long", timeStyle: "short",
  });
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

function unlockMessage(error) {
  if (error.code === "not_a_key_file") return TEXT.notAKeyFile;
  if (error.code === "kdf_unavailable") return TEXT.kdfUnavailable;
  return TEXT.wrongPassphrase;
}

function showError(node, message) {
  if (!node) return;
  node.textContent = message;
  node.hidden = false;
}

// ------------------------------------------------------------------ 1. Sign-in
function setUpSignin(form) {
  // Reaching the sign-in page means the last session is over (signed out, expired, or
  // the browser was closed without signing out): an unlocked key left in IndexedDB from
  // it must not outlive it.
  const forgotten = forgetUnlocked().catch(() => undefined);
  const errorBox = document.getElementById("signin-error");
  const statusBox = document.getElementById("signin-status");
  const buttons = () => form.querySelectorAll("button, input[type=submit]");
  let working = false;

  function busy(on) {
    working = on;
    for (const button of buttons()) button.disabled = on;
    if (statusBox) statusBox.textContent = on ? TEXT.unlocking : "";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (working) return;
    if (errorBox) errorBox.hidden = true;
    busy(true);
    const passphraseField = document.getElementById("passphrase");
    try {
      const coordinatorId = document.getElementById("coordinator_id").value;
      const csrfField = form.querySelector("input[name=csrf]");
      const totpField = document.getElementById("totp");
      // The code goes with the challenge request: the service hands out the wrapped key
      // file only after a right code, so an id alone never lets anyone guess offline.
      const response = await fetch("/signin/challenge", {
        method: "POST",
        body: new URLSearchParams({
          coordinator_id: coordinatorId,
          csrf: csrfField ? csrfField.value : "",
          totp: totpField ? totpField.value : "",
        }),
        credentials: "same-origin",
      });
      let data = null;
      try { data = await response.json(); } catch (error) { data = null; }
      if (!response.ok || !data) {
        showError(errorBox, (data && typeof data.error === "string" && data.error) || TEXT.signinFailed);
        busy(false);
        return;
      }
      let unlocked;
      try {
        unlocked = await unlockKeyFile(data.key_file, passphraseField.value);
      } catch (error) {
        showError(errorBox, unlockMessage(error));
        busy(false);
        passphraseField.focus();
        return;
      }
      const opened = await openEnvelope(data.envelope, unlocked);
      if (
        opened.payload.purpose !== "desk-signin"
        || opened.meetingId !== "desk-signin:" + data.challenge_id
        || typeof opened.payload.challenge !== "string"
      ) {
        throw new Error("challenge does not match");
      }
      document.getElementById("challenge_response").value = opened.payload.challenge;
      document.getElementById("challenge_id").value = data.challenge_id;
      await forgotten;
      await storeUnlocked(unlocked);
      passphraseField.value = "";
      // form.submit() skips this handler, so the page posts exactly once.
      form.submit();
    } catch (error) {
      showError(errorBox, TEXT.signinFailed);
      busy(false);
    }
  });
}

// ------------------------------------------------------------------ 2. Sealed items
function renderPayload(target, payload) {
  target.replaceChildren();
  const heading = el("h3", lookup(HEADINGS, payload.kind));
  target.append(heading);
  if (payload.approved_at !== undefined && payload.approved_at !== null) {
    target.append(el("p", `${TEXT.approvedAt}: ${swedishTime(payload.approved_at)}`, { class: "approved-at" }));
  }
  const items = (Array.isArray(payload.items) ? payload.items : []).filter(
    (item) => item && typeof item === "object" && item.text !== "-",
  );
  if (items.length === 0) {
    target.append(el("p", TEXT.nothingShared, { class: "nothing-shared" }));
    return;
  }
  const list = el("ol");
  for (const item of items) {
    const li = el("li");
    li.append(el("strong", lookup(ITEM_LABELS, item.kind)));
    li.append(el("p", item.text ?? "", { class: "child-words" }));
    const meta = [];
    if (Array.isArray(item.shared_with)) {
      meta.push(`${TEXT.sharedWith}: ${item.shared_with.map((who) => lookup(RECIPIENTS, who)).join(" och ")}`);
    }
    if (typeof item.use === "string") meta.push(`${TEXT.use}: ${lookup(USES, item.use)}`);
    if (meta.length) li.append(el("p", meta.join(" · "), { class: "item-meta" }));
    list.append(li);
  }
  target.append(list);
}

function targetOf(section) {
  let target = section.querySelector("div.opened");
  if (!target) {
    target = el("div", null, { class: "opened" });
    section.append(target);
  }
  return target;
}

function showRejected(target, message) {
  target.replaceChildren(el("p", message, { class: "rejected", role: "alert" }));
}

async function openSection(section, unlocked) {
  const target = targetOf(section);
  let text;
  try {
    const response = await fetch(section.dataset.envelopeUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    showRejected(target, TEXT.loadFailed);
    return;
  }
  let opened;
  try {
    opened = await openEnvelope(text, unlocked);
  } catch (error) {
    showRejected(target, error.code === "not_for_this_key" ? TEXT.otherKey : TEXT.rejected);
    return;
  }
  renderPayload(target, opened.payload);
  section.dataset.opened = "true";
  if (section.dataset.receiptUrl) {
    try {
      await fetch(section.dataset.receiptUrl, {
        method: "POST",
        body: new URLSearchParams({ csrf: section.dataset.csrf || "" }),
        credentials: "same-origin",
      });
      for (const badge of section.querySelectorAll(".badge")) badge.remove();
    } catch (error) {
      // The receipt only tells the service it was read; the words are already shown.
    }
  }
}

async function openAllSections(sections, unlocked) {
  await Promise.all(sections.map((section) => openSection(section, unlocked)));
}

function showUnlockForms(sections) {
  const keyfileUrl = document.body.dataset.keyfileUrl;
  for (const section of sections) {
    const target = targetOf(section);
    const form = el("form", null, { class: "unlock" });
    const id = `unlock-${Math.random().toString(36).slice(2)}`;
    const label = el("label", TEXT.passphraseLabel, { for: id });
    const field = el("input", null, { type: "password", id, autocomplete: "current-password" }); // no name: never submitted
    const button = el("button", TEXT.unlockButton, { type: "submit" });
    const error = el("p", null, { class: "unlock-error", role: "alert" });
    error.hidden = true;
    form.append(el("p", TEXT.unlockHint), label, field, button, error);
    target.replaceChildren(form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      error.hidden = true;
      try {
        const response = await fetch(keyfileUrl, { credentials: "same-origin" });
        if (!response.ok) throw new Error("no key file");
        const unlocked = await unlockKeyFile(await response.text(), field.value);
        field.value = "";
        await storeUnlocked(unlocked);
        await openAllSections(sections, unlocked);
      } catch (failure) {
        showError(error, failure.code ? unlockMessage(failure) : TEXT.loadFailed);
        button.disabled = false;
      }
    });
  }
}

async function setUpSections() {
  const sections = Array.from(document.querySelectorAll("section[data-envelope-url]"));
  if (sections.length === 0) return;
  let unlocked = null;
  try {
    unlocked = await loadUnlocked();
  } catch (error) {
    unlocked = null;
  }
  if (unlocked) await openAllSections(sections, unlocked);
  else showUnlockForms(sections);
}

// ------------------------------------------------------------------ 3. Sign-out, 4. print
function setUpSignout(form) {
  let done = false;
  form.addEventListener("submit", async (event) => {
    if (done) return;
    event.preventDefault();
    try {
      await forgetUnlocked();
    } finally {
      done = true;
      form.submit();
    }
  });
}

function start() {
  const signin = document.querySelector("form#signin");
  if (signin) setUpSignin(signin);
  for (const form of document.querySelectorAll("form.signout")) setUpSignout(form);
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  setUpSections().finally(() => {
    document.documentElement.dataset.deskReady = "true";
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
