// The dashboard's few browser helpers (Services/Browser.cs). The theme is applied before Blazor starts, so a dark
// system never flashes a light page.
(() => {
  const key = "basalt_theme";
  const system = () => (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  const apply = (theme) => { document.documentElement.dataset.theme = theme; };
  apply(localStorage.getItem(key) || system());
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    if (!localStorage.getItem(key)) apply(system());
  });
  window.basalt = {
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
    focus: (selector) => document.querySelector(selector)?.focus(),
  };
})();
