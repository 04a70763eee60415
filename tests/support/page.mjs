// A brand's page on a second origin (another port), served by a tiny Node server.
import http from "node:http";

/** Serves `render(origin)` at `/` on 127.0.0.1 and a random port, with `headers(origin)` if given. */
export async function servePage(render, headers = () => ({})) {
  const server = http.createServer((req, res) => {
    if (req.url !== "/") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers(origin) }).end(render(origin));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A host page whose CSS tries hard to restyle everything, the widget included. */
export function hostilePage({ edge, community, before = "", lang = "en" }) {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>Brand page</title>
<style>
  * { font-family: serif !important; color: red !important; line-height: 3 !important; }
  div, section, h2, p { background: yellow !important; border: 5px dashed blue !important; }
</style></head>
<body>
  <h1>Brand page</h1>
  ${before}
  <script src="${edge}/embed.js" data-community="${community}" async></script>
</body></html>`;
}
