// The first screen while Blazor starts (index.html's templates): the sign-in form, or the first-run form of
// /_/install?token=, working through the public API on their own, so the page takes input while the runtime downloads
// and starts (bench/README.md, dashboard first load). A sign-in is kept as the app keeps it (Services/BrowserAuthStorage:
// localStorage basalt_superuser_auth = {"token","record"}). When Blazor first renders into #app, Pages/Login.razor and
// Pages/Install.razor have read what was typed, the error and a sign-in still on its way (basalt.handover); this
// markup then goes and the focus moves to the app's field of the same id. What only the app does (one-time codes, the
// second factor of MFA, OAuth2, the reset mail) waits for it: an MFA answer's id and a click on "Forgot password?" are
// handed over too.
const storageKey = "basalt_superuser_auth";
const superusersId = "pbc_3142635823";
const app = document.getElementById("app");
const boot = document.getElementById("boot");

// PocketBase's first-run link (/_/#/install?token=…, as `basalt serve` prints it) becomes the dashboard's route here,
// as App.razor would do later, so the form shows now and the app starts on its page.
if (location.hash.startsWith("#/install?")) {
  history.replaceState(null, "", location.hash.slice(2));
}

/** The stored session is a superuser's and its token has not expired (as AuthStore.IsValid and IsSuperuser read it). */
const signedIn = () => {
  try {
    const state = JSON.parse(localStorage.getItem(storageKey));
    const claims = JSON.parse(atob(state.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return claims.type === "auth" && claims.exp * 1000 > Date.now()
      && (state.record?.collectionName === "_superusers" || claims.collectionId === superusersId);
  } catch {
    return false;
  }
};

const page = location.pathname.slice(new URL(document.baseURI).pathname.length);
const started = [...app.children].some((child) => !child.classList.contains("boot"));
const screen = started ? null
  : page === "install" ? "install"
  : !location.hash.startsWith("#/") && !page.startsWith("auth/") && !signedIn() ? "login"
  : null;

/** An error answer as one line, as Services/Errors.cs describes it: the message, then each field's. */
const describe = (status, answer) => {
  if (status === 0) return "The server did not answer. Is Basalt running?";
  const message = typeof answer.message === "string" && answer.message ? answer.message : "Something went wrong while processing your request.";
  const fields = [];
  const walk = (node, path) => {
    for (const [key, child] of Object.entries(node ?? {})) {
      if (!child || typeof child !== "object") continue;
      const at = path ? `${path}.${key}` : key;
      if (typeof child.code === "string" && typeof child.message === "string") fields.push(`${at}: ${child.message}`);
      else walk(child, at);
    }
  };
  walk(answer.data, "");
  return fields.length ? `${message} ${fields.join("; ")}` : message;
};

/** Posts a sign-in and keeps its session; the outcome as the app reads it: signed-in, mfa:ID or error:TEXT. */
const signIn = async (url, body, failed) => {
  let status = 0;
  let answer = {};
  try {
    // A server that takes the request and never answers would leave the form waiting with no way to try again.
    const response = await fetch(url, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(30000),
    });
    status = response.status;
    const json = await response.json().catch(() => null);
    answer = json && typeof json === "object" ? json : {};
  } catch {
    // No answer: status 0.
  }
  if (status >= 200 && status < 300 && typeof answer.token === "string") {
    localStorage.setItem(storageKey, JSON.stringify({ token: answer.token, record: answer.record ?? {} }));
    return "signed-in";
  }
  return status === 401 && typeof answer.mfaId === "string" ? "mfa:" + answer.mfaId : "error:" + failed(status, answer);
};

if (screen) {
  boot.append(document.getElementById("boot-" + screen).content.cloneNode(true));
  app.querySelector(".boot").hidden = true;
  const form = boot.querySelector("form");
  const submit = form.querySelector("[type=submit]");
  const error = form.querySelector(".error");
  const status = boot.querySelector("[role=status]");
  const field = (id) => boot.querySelector("#" + id);
  const show = (element, text) => {
    element.textContent = text;
    element.hidden = !text;
  };
  const label = submit.textContent;
  const token = new URLSearchParams(location.search).get("token") ?? "";
  // "", pending, signed-in, mfa:ID or error:TEXT; and the request's outcome, for an app that starts while it is on its way.
  let outcome = "";
  let settled = Promise.resolve("");
  let queued = "";
  let usable = "";
  // Where the focus was when the app read the handover, before its first render moved it to the page's heading.
  let carried = null;

  // What was sent stays what is shown: the app reads the fields at its takeover, and an MFA code must go to the
  // account the first factor was checked for.
  const lock = (locked) => form.querySelectorAll("input").forEach((input) => { input.readOnly = locked; });

  const send = (url, body, failed, signedInText) => {
    outcome = "pending";
    show(error, "");
    lock(true);
    submit.disabled = true;
    submit.textContent = screen === "login" ? "Signing in…" : label;
    settled = signIn(url, body, failed).then((result) => {
      outcome = result;
      if (!boot.isConnected) return result;
      if (result.startsWith("error:")) {
        show(error, result.slice("error:".length));
        lock(false);
        submit.disabled = false;
        submit.textContent = label;
      } else if (result === "signed-in") {
        show(status, signedInText);
      } else {
        show(status, "This account needs a second factor: the sign-in goes on here once the dashboard has loaded.");
      }
      return result;
    });
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (outcome === "pending" || outcome === "signed-in" || outcome.startsWith("mfa:")) return;
    const body = { email: field("email").value, password: field("password").value };
    if (screen === "login") {
      send("/api/collections/_superusers/auth-with-password", { identity: body.email, password: body.password },
        (code, answer) => (code === 400 ? "Invalid email or password." : describe(code, answer)), "Signed in. Loading the dashboard…");
      return;
    }
    if (body.password !== field("password-confirm").value) {
      outcome = "error:The passwords do not match.";
      show(error, "The passwords do not match.");
      return;
    }
    send("/api/superusers/install", { token, ...body, passwordConfirm: field("password-confirm").value }, describe, "Created and signed in. Loading the dashboard…");
    // The app starts on the dashboard's home once signed in, as Install.razor navigates there.
    settled.then((result) => {
      if (result === "signed-in" && boot.isConnected) history.replaceState(null, "", document.baseURI);
    });
  });

  field("forgot-password")?.addEventListener("click", (event) => {
    queued = "forgot";
    event.currentTarget.setAttribute("aria-disabled", "true");
    event.currentTarget.textContent = "Opening the reset form…";
  });

  if (screen === "install") {
    const checked = token
      ? fetch("/api/superusers/install?token=" + encodeURIComponent(token)).then((r) => r.ok, () => false)
      : Promise.resolve(false);
    checked.then((ok) => {
      usable = String(ok);
      if (!boot.isConnected) return;
      status.hidden = true;
      form.hidden = !ok;
      boot.querySelector("[data-expired]").hidden = ok;
    });
  }

  Object.assign(window.basalt, {
    // Read by the app's first render, in the same task as the takeover below: after it, nothing is handed over again
    // (a form shown after a sign-out starts empty).
    handover: (key) => {
      if (!boot.isConnected) return null;
      if (!carried) {
        const active = boot.contains(document.activeElement) ? document.activeElement : null;
        const selection = typeof active?.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
        carried = { id: queued ? "email" : active?.id, selection };
      }
      const value = { outcome, step: queued, usable }[key] ?? field(key)?.value;
      return value || null;
    },
    handoverSettled: () => settled,
  });

  // Blazor replaces #app's placeholder on its first render; the microtask runs before any input can reach the page.
  new MutationObserver((_, observer) => {
    if (![...app.children].some((child) => !child.classList.contains("boot"))) return;
    observer.disconnect();
    boot.remove();
    const target = carried?.id ? document.getElementById(carried.id) : null;
    if (target) {
      target.focus();
      if (carried.selection && typeof target.selectionStart === "number") target.setSelectionRange(...carried.selection);
    }
  }).observe(app, { childList: true });
}
