// Quanzi embed loader. The brand's page includes:
//   <script src="https://EDGE/embed.js" data-community="acme" async></script>
// It draws a host element with an open shadow root where the script tag is (or inside
// `data-target`), and draws the widget only when that host nears the viewport: the home
// first as HTML from the worker, with the app loading when the member reaches for it.
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
  const shadow = host.attachShadow({ mode: "open" });
  const mountPoint = document.createElement("div");
  const lang = () => data.locale || root.lang || navigator.language;
  // The home (the default view) is first drawn by the worker as HTML (the facade), and
  // the app loads when the member reaches for it (pointer, touch, focus, a click), or at once when
  // the page hands over a token or previews a theme; the app then takes the facade's place.
  let facade, loading;
  const load = () =>
    (loading ||= (Q._ready ||= import(base + "__GLUE__").then((m) => m.default({ module_or_path: base + "__WASM__" }).then(() => m)))
      .then((m) =>
        m.mount(mountPoint, {
          community: data.community,
          base,
          lang: lang(),
          view: data.view || "home",
          loginUrl: data.loginUrl,
          page: data.page == null ? "" : new URL(data.page || location, location).href,
          event: data.event,
          script,
          root: shadow,
          facade,
        }),
      )
      .catch(console.error));
  const wake = () => facade && load();
  for (const name of ["pointerover", "focusin", "click", "quanzi:token", "quanzi:theme"])
    (name[0] == "q" ? window : host).addEventListener(name, wake);
  // The last click anywhere: the app makes it again if it was on the facade.
  addEventListener("click", (e) => facade && (facade.q = e.composedPath()[0]), true);
  const app = () => (shadow.append(mountPoint), load());
  const show = () =>
    data.page != null || (data.view || "home") != "home"
      ? app()
      : fetch(`${base}api/v1/communities/${data.community}/first-view?` + new URLSearchParams({ lang: lang(), login: data.loginUrl || "", signed_in: Q.token ? 1 : "" }))
          .then((r) => (r.ok ? r.json() : Promise.reject()))
          .then((first) => {
            const sheet = new CSSStyleSheet();
            const div = document.createElement("div");
            sheet.replaceSync(first.css);
            div.innerHTML = first.html;
            shadow.adoptedStyleSheets = [sheet];
            shadow.append((facade = div));
            (Q.token || Q.theme) && load();
          })
          // No facade (an origin the community has not allowed, say): the app explains.
          .catch(app);
  const io = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        show();
      }
    },
    { rootMargin: "400px" },
  );
  io.observe(host);
})();
