// A minimal stand-in for the page ChurchTools serves at /ccm/<key>/, for browser tests of the
// built extension alone: the strict CSP (script-src 'self', no 'unsafe-inline', no 'unsafe-eval'),
// `<div id="app">`, and the script/stylesheet tags copied from dist/index.html the way ChurchTools
// injects them. Files of dist/ are served under /ccm/<key>/.
//
// The full ChurchTools stand-in (dev/standin) covers the real page with API and login; this one
// is stricter about the CSP than ChurchTools is, to prove the bundle needs neither eval nor
// inline scripts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  'img-src * data:',
  'connect-src *',
  "base-uri 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  // ChurchTools serves extension scripts with this type; browsers accept it for module scripts.
  '.js': 'application/x-javascript',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
};

/** The `<script type="module" src>` and stylesheet `<link>` tags of dist/index.html. */
export function injectedTags(indexHtml: string): string[] {
  const scripts = [...indexHtml.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="[^"]+"[^>]*><\/script>/g)].map((m) => m[0]);
  const links = [...indexHtml.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)].map((m) => m[0]);
  return [...links, ...scripts];
}

export interface StaticCtPage {
  /** Origin, e.g. http://127.0.0.1:PORT */
  url: string;
  /** The extension page, e.g. http://127.0.0.1:PORT/ccm/optigem-sync/ */
  pageUrl: string;
  /** A page with an inline script, to prove CSP violations are noticed. */
  probeUrl: string;
  close(): Promise<void>;
}

export async function startStaticCtPage(distDir: string, key = 'optigem-sync'): Promise<StaticCtPage> {
  const root = resolve(distDir);
  const prefix = `/ccm/${key}/`;
  const tags = injectedTags(await readFile(resolve(root, 'index.html'), 'utf8'));

  const html = (origin: string, head: string) => `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>ChurchTools</title>
<base href="${origin}/">
<script type="application/json" id="ct-settings-json">${JSON.stringify({ base_url: `${origin}/` })}</script>
${head}
</head>
<body>
<header>ChurchTools</header>
<div id="app"></div>
</body>
</html>
`;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
      const send = (status: number, type: string, body: string | Buffer, csp = false) => {
        res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...(csp ? { 'Content-Security-Policy': STRICT_CSP } : {}) });
        res.end(body);
      };
      if (path === '/favicon.ico') return send(204, 'image/x-icon', '');
      if (path === '/csp-probe') {
        return send(200, TYPES['.html'] ?? '', html(origin, '<script>document.title = "inline ran";</script>'), true);
      }
      if (!path.startsWith(prefix)) return send(404, 'text/plain', 'not found');
      const rest = path.slice(prefix.length);
      if (rest !== '' && rest !== 'index.html') {
        const file = resolve(root, rest);
        const info = file.startsWith(root + sep) ? await stat(file).catch(() => undefined) : undefined;
        if (info?.isFile()) return send(200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
        // Like ChurchTools: a missing asset is a 404; any other sub-path is the extension page.
        if (rest.startsWith('assets/')) return send(404, 'text/plain', 'not found');
      }
      return send(200, TYPES['.html'] ?? '', html(origin, tags.join('\n')), true);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    });
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pageUrl: `${url}${prefix}`,
    probeUrl: `${url}/csp-probe`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}
