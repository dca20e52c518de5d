// The dashboard's few browser helpers (Services/Browser.cs). The theme is applied before Blazor starts, so a dark
// system never flashes a light page.
(() => {
  const key = "basalt_theme";
  const system = () => (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  const apply = (theme) => { document.documentElement.dataset.theme = theme; };
  let popup = null;
  apply(localStorage.getItem(key) || system());
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    if (!localStorage.getItem(key)) apply(system());
  });
  window.basalt = {
    getItem: (k) => localStorage.getItem(k),
    setItem: (k, value) => localStorage.setItem(k, value),
    removeItem: (k) => localStorage.removeItem(k),
    getTheme: () => document.documentElement.dataset.theme || system(),
    setTheme: (theme) => { localStorage.setItem(key, theme); apply(theme); },
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    download: (name, type, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type }));
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
    copy: (text) => navigator.clipboard?.writeText(text),
    // As Blazor's FocusOnNavigate does: a heading is made focusable by script only, so the focus ring lands on it and
    // the next Tab goes on from there.
    focus: (selector) => {
      const element = document.querySelector(selector);
      if (!element) return;
      if (!element.hasAttribute("tabindex")) element.tabIndex = -1;
      element.focus({ preventScroll: true });
    },
    // The OAuth2 popup is opened blank on the click itself (a popup opened later, after the app has awaited the
    // server, is blocked by browsers that want a user gesture), then sent to the provider once its URL is known.
    openPopup: () => { popup = window.open("", "basalt-oauth2", "popup,width=640,height=720"); },
    navigatePopup: (url) => {
      if (popup && !popup.closed) popup.location.href = url;
      else popup = window.open(url, "basalt-oauth2", "popup,width=640,height=720");
    },
    closePopup: () => { if (popup && !popup.closed) popup.close(); popup = null; },
    // True also when the browser blocked the popup, and when a provider page with a strict Cross-Origin-Opener-Policy
    // cut it off from this page (it then reads as closed while still open): Login.razor treats it as advisory.
    popupClosed: () => !popup || popup.closed,
    // Nothing to hand over unless js/boot.js showed its static form (it replaces these two).
    handover: () => null,
    handoverSettled: async () => "",
  };
})();
