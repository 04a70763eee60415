// Quanzi embed loader. The brand's page includes:
//   <script src="https://EDGE/embed.js" data-community="acme" async></script>
// It draws a host element with an open shadow root where the script tag is (or inside
// `data-target`), and loads the widget only when that host nears the viewport.
// `Quanzi.setToken(jwt)` hands the member's sign-in token to every widget on the page.
// `Quanzi.onTokenExpired(fn)` (or `data-on-token-expired="globalFunctionName"`) is called
// once per token the worker refuses (expired or invalid); call `setToken` with a fresh one.
// `data-page` shows the comments of one page: a URL or a path (resolved against this
// page), or empty for this page itself.
// `data-view="event" data-event="<id>"` shows one event; the widget follows later changes
// to `data-locale` on this tag (and to `<html lang>`).
// Light or dark: a community whose theme follows the reader (the default) follows the page
// when it says which it is (`data-theme`, `data-bs-theme`, `data-color-scheme` or a `dark` /
// `light` class on <html> or <body>, or `color-scheme` on <html>), else the reader's system
// setting; `data-theme="dark"` (or "light") on this tag decides instead.
(() => {
  const script = document.currentScript;
  if (!script) return;
  const base = new URL(".", script.src).href;
  const data = script.dataset;
  const Q = (window.Quanzi = window.Quanzi || {});
  Q.setToken ||= (token) => {
    Q.token = token || "";
    dispatchEvent(new Event("quanzi:token"));
  };
  Q.onTokenExpired ||= (callback) => {
    Q._expired = callback;
  };
  const expired = data.onTokenExpired;
  if (expired) Q.onTokenExpired(() => window[expired]?.());
  if (data.token) Q.token = data.token;
  const host = document.createElement("quanzi-widget");
  host.style.display = "block";
  const target = data.target && document.querySelector(data.target);
  target ? target.append(host) : script.after(host);
  const root = document.documentElement;
  const scheme = () => {
    let s = data.theme;
    for (const el of [root, document.body]) {
      const d = el?.dataset || {};
      s ||= /(^|\s)(dark|light)(\s|$)/.exec([d.theme, d.bsTheme, d.colorScheme, el?.className].join(" "))?.[2];
    }
    s ||= getComputedStyle(root).colorScheme;
    /^(dark|light)$/.test(s) ? (host.dataset.scheme = s) : delete host.dataset.scheme;
  };
  scheme();
  const watch = new MutationObserver(scheme);
  for (const el of [root, document.body])
    el && watch.observe(el, { attributeFilter: ["class", "style", "data-theme", "data-bs-theme", "data-color-scheme"] });
  const mountPoint = document.createElement("div");
  host.attachShadow({ mode: "open" }).append(mountPoint);
  const load = () =>
    (Q._ready ||= import(base + "__GLUE__").then((m) => m.default({ module_or_path: base + "__WASM__" }).then(() => m)))
      .then((m) =>
        m.mount(mountPoint, {
          community: data.community || "",
          base,
          lang: data.locale || document.documentElement.lang || navigator.language,
          view: data.view || "home",
          loginUrl: data.loginUrl || "",
          page: data.page == null ? "" : new URL(data.page || location, location).href,
          event: data.event || "",
          script,
        }),
      )
      .catch((e) => console.error("Quanzi widget failed to load", e));
  const io = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        load();
      }
    },
    { rootMargin: "400px" },
  );
  io.observe(host);
})();
