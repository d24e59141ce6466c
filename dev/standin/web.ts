/**
 * The browser side of the stand-in: ChurchTools' own page at /ccm/<key>/ with the built extension
 * injected the way CT 3.136 does it (ct-extension.md §1.1: no iframe, scripts injected, mounts on #app,
 * CSP without 'unsafe-inline' for scripts), a login page, and the legacy AJAX endpoint `oldApi()` uses.
 *
 * It also serves the new extension format (boilerplate branch `entry-points`): the built output under
 * /extensions/<key>/ and a host page at /extension-host/<key>/ that imports
 * /extensions/<key>/extension.es.js and calls its entry point, as the boilerplate's integration guide
 * shows. [I] The URL of ChurchTools' own page for such extensions is not published; /extension-host/
 * is the stand-in's.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import { createSession, csrfTokenFor, endSession, resolveUser } from './auth.ts';
import { EXTENSION_KEY, type StandInState, type UserAccount } from './state.ts';

export interface WebOptions {
  state: StandInState;
  extensionDist?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  // CT serves extension scripts as application/x-javascript (infoscreen G10); browsers accept it for modules.
  '.js': 'application/x-javascript',
  '.mjs': 'application/x-javascript',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** CT's CSP (infoscreen G15), with a per-response nonce nobody uses: inline scripts stay blocked. */
function csp(): string {
  const nonce = randomBytes(12).toString('base64');
  return [
    "default-src 'self'",
    `script-src 'self' js.stripe.com 'nonce-${nonce}' 'unsafe-eval'`,
    "style-src 'self' 'unsafe-inline'",
    'img-src * data: blob:',
    'font-src * data:',
    'child-src * data:',
    'connect-src *',
    "object-src 'none'",
    "base-uri 'self'",
  ].join('; ');
}

const HOST_CSS = `/* ChurchTools stand-in: a few of the host page's global styles, which leak into extensions (G25). */
@layer theme, base, oldcss, components, utilities;
@layer theme {
  :root {
    --color-primary: #2c6fbb;
    --color-basic-primary: #2c6fbb;
    --color-accent-primary: #c02a68;
    --color-basic-text: #1f2933;
    --color-basic-muted: #616e7c;
    --color-basic-border: #d9dee3;
    --color-basic-background: #f5f7f9;
    --color-success: #2e7d32;
    --color-warning: #b26a00;
    --color-error: #c62828;
    --font-sans: Lato, "Helvetica Neue", Arial, sans-serif;
    --text-base: 14px;
    --radius: 4px;
  }
}
@layer base {
  html { font-family: var(--font-sans); font-size: var(--text-base); color: var(--color-basic-text); background: var(--color-basic-background); }
  body { margin: 0; }
  button { font: inherit; cursor: pointer; border-radius: var(--radius); border: 1px solid var(--color-basic-border); background: #fff; padding: 4px 12px; }
  a { color: var(--color-primary); }
}
/* Legacy global rules outside any layer, as CT's old CSS has them: they beat layered styles. */
h1 { font-size: 22px; font-weight: 400; margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: 6px 8px; border-bottom: 1px solid var(--color-basic-border); text-align: left; }
.ct-topbar { display: flex; align-items: center; gap: 24px; height: 48px; padding: 0 16px; background: #24364b; color: #fff; }
.ct-topbar a { color: #dfe7ef; text-decoration: none; }
.ct-topbar a.active { color: #fff; font-weight: 700; border-bottom: 2px solid #fff; padding-bottom: 2px; }
.ct-topbar .ct-brand { font-weight: 700; color: #fff; }
.ct-topbar .ct-user { margin-left: auto; color: #dfe7ef; }
.ct-main { padding: 16px; }
.ct-login { max-width: 320px; margin: 80px auto; background: #fff; padding: 24px; border: 1px solid var(--color-basic-border); border-radius: 6px; }
.ct-login label { display: block; margin: 12px 0 4px; }
.ct-login input { width: 100%; box-sizing: border-box; padding: 6px; }
.ct-login .ct-error { color: var(--color-error); }
`;

/** External, because the CSP forbids inline scripts: turns the JSON settings block into window.settings. */
const SETTINGS_JS = `(function () {
  var el = document.getElementById('ct-settings-json');
  window.settings = el ? JSON.parse(el.textContent || '{}') : {};
})();
`;

/**
 * The host side of the new format, after the boilerplate's integration guide: read the manifest,
 * import the module, load the entry point the manifest names for the extension point, render it.
 * External, like everything the CSP allows.
 */
const EXTENSION_HOST_JS = `const root = document.getElementById('extension-root');
const status = document.getElementById('extension-status');
const key = root.dataset.extensionKey;
const pointId = root.dataset.extensionPoint;
try {
  const manifest = await fetch('/extensions/' + key + '/manifest.json').then((r) => r.json());
  const point = (manifest.extensionPoints || []).find((p) => p.id === pointId);
  if (!point) throw new Error('the manifest has no extension point ' + pointId);
  const ext = await import('/extensions/' + key + '/extension.es.js');
  const entryPoint = await ext.loadEntryPoint(point.entryPoint);
  window.extensionInstance = await ext.renderExtension(root.id, entryPoint, { context: {} });
  root.dataset.rendered = 'true';
} catch (error) {
  status.textContent = 'Die Erweiterung konnte nicht geladen werden: ' + (error && error.message ? error.message : String(error));
}
`;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/**
 * The tags CT copies from the extension's dist/index.html: module scripts with a src and stylesheets.
 * Inline scripts are not copied (the CSP would block them anyway).
 */
export function extensionTags(indexHtml: string): string[] {
  const tags: string[] = [];
  for (const m of indexHtml.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    const href = attr(tag, 'href');
    if ((attr(tag, 'rel') ?? '').toLowerCase() === 'stylesheet' && href) {
      tags.push(`<link rel="stylesheet"${/\scrossorigin/i.test(tag) ? ' crossorigin' : ''} href="${escapeHtml(href)}">`);
    }
  }
  for (const m of indexHtml.matchAll(/<script\b[^>]*>/gi)) {
    const tag = m[0];
    const src = attr(tag, 'src');
    if ((attr(tag, 'type') ?? '').toLowerCase() === 'module' && src) {
      tags.push(`<script type="module"${/\scrossorigin/i.test(tag) ? ' crossorigin' : ''} src="${escapeHtml(src)}"></script>`);
    }
  }
  return tags;
}

function page(c: Context, title: string, head: string, body: string, status: 200 | 404 = 200): Response {
  c.header('Content-Security-Policy', csp());
  c.header('Cache-Control', 'no-store');
  return c.html(
    `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/standin-assets/churchtools.css">
${head}
</head>
<body>
${body}
</body>
</html>
`,
    status,
  );
}

function topbar(state: StandInState, user: UserAccount | null, active: string): string {
  const p = user ? state.persons.get(user.personId) : undefined;
  const item = (href: string, label: string) => `<a href="${href}"${label === active ? ' class="active" aria-current="page"' : ''}>${label}</a>`;
  return `<header class="ct-topbar">
<span class="ct-brand">${escapeHtml(state.siteName)}</span>
<nav aria-label="Hauptmenü">${item('/ccm/' + EXTENSION_KEY + '/', 'Sync')} ${item('/ccm/' + EXTENSION_KEY + '/#personen', 'Personen')} ${item('/ccm/' + EXTENSION_KEY + '/#finanzen', 'Finanzen')}</nav>
${p ? `<span class="ct-user">${escapeHtml(`${p.firstName} ${p.lastName}`)} · <a href="/logout">Abmelden</a></span>` : ''}
</header>`;
}

function safeRedirect(target: string | undefined): string {
  // Only local paths: an open redirect would be a phishing aid even in a dev tool.
  return target && target.startsWith('/') && !target.startsWith('//') ? target : `/ccm/${EXTENSION_KEY}/`;
}

function loginPage(c: Context, state: StandInState, redirect: string, error?: string): Response {
  return page(
    c,
    `Anmelden – ${state.siteName}`,
    '',
    `<main class="ct-login">
<h1>Anmelden</h1>
${error ? `<p class="ct-error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="redirect" value="${escapeHtml(redirect)}">
<label for="username">E-Mail oder Benutzername</label>
<input id="username" name="username" autocomplete="username" required>
<label for="password">Passwort</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Anmelden</button></p>
</form>
</main>`,
  );
}

const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1e6fb5"/><path d="M5 3h6v2H9v8H7V5H5z" fill="#fff"/></svg>';

export function webRoutes({ state, extensionDist }: WebOptions): Hono {
  const app = new Hono();
  const distRoot = extensionDist ? resolve(extensionDist) : undefined;

  app.get('/standin-assets/churchtools.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(HOST_CSS);
  });
  app.get('/standin-assets/settings.js', (c) => {
    c.header('Content-Type', 'application/x-javascript');
    return c.body(SETTINGS_JS);
  });
  app.get('/standin-assets/extension-host.js', (c) => {
    c.header('Content-Type', 'application/x-javascript');
    return c.body(EXTENSION_HOST_JS);
  });

  /** A file of the built extension, or undefined when `rest` names none (or leaves the folder). */
  const distFile = async (c: Context, rest: string): Promise<Response | undefined> => {
    if (!distRoot || rest === '') return undefined;
    const file = resolve(distRoot, decodeURIComponent(rest));
    if (!file.startsWith(distRoot + sep)) return undefined;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    c.header('Content-Type', CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
    c.header('Cache-Control', 'public, max-age=604800');
    return c.body(new Uint8Array(await readFile(file)));
  };

  /** CT's page settings (window.settings), the same for both loading forms. */
  const settingsHead = (c: Context, user: UserAccount, sessionId: string | null): string[] => {
    const origin = new URL(c.req.url).origin;
    const p = state.persons.get(user.personId);
    const settings = {
      base_url: `${origin}/`,
      files_url: `${origin}/files`,
      csrfToken: csrfTokenFor(sessionId ?? ''),
      version: '3.136.0',
      build: '32882',
      modules: [...state.customModules.values()].map((m) => ({ key: m.shorty, name: m.name })),
      user: p ? { id: p.id, firstName: p.firstName, lastName: p.lastName, email: p.email } : null,
    };
    // `<` is escaped so no string value can close the script element.
    return [
      `<base href="${escapeHtml(origin)}/">`,
      `<script type="application/json" id="ct-settings-json">${JSON.stringify(settings).replace(/</g, '\\u003c')}</script>`,
      '<script src="/standin-assets/settings.js"></script>',
    ];
  };

  // Browsers ask for it on every page; a 404 in the console looks like a defect of the module.
  app.get('/favicon.ico', (c) => {
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'max-age=86400');
    return c.body(FAVICON_SVG);
  });

  app.get('/', (c) => {
    const token = c.req.query('login_token');
    if (token) {
      const r = resolveUser(state, c);
      if (r.user) {
        createSession(state, c, r.user.personId);
        return c.redirect(`/ccm/${EXTENSION_KEY}/`);
      }
      return loginPage(c, state, `/ccm/${EXTENSION_KEY}/`, 'Der Login-Token ist ungültig.');
    }
    const r = resolveUser(state, c);
    return c.redirect(r.user && r.via === 'session' ? `/ccm/${EXTENSION_KEY}/` : '/login');
  });

  app.get('/login', (c) => loginPage(c, state, safeRedirect(c.req.query('redirect'))));

  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const username = typeof form.username === 'string' ? form.username : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const redirect = safeRedirect(typeof form.redirect === 'string' ? form.redirect : undefined);
    const user = [...state.users.values()].find((u) => u.username.toLowerCase() === username.trim().toLowerCase());
    if (!user || user.password !== password) return loginPage(c, state, redirect, 'Benutzername oder Passwort sind falsch.');
    createSession(state, c, user.personId);
    return c.redirect(redirect, 303);
  });

  app.get('/logout', (c) => {
    endSession(state, c);
    return c.redirect('/login');
  });

  const ccm = async (c: Context): Promise<Response> => {
    const key = c.req.param('key') ?? '';
    const installed = [...state.customModules.values()].find((m) => m.shorty === key);
    const r = resolveUser(state, c);
    const token = c.req.query('login_token');
    if (token && r.user) {
      createSession(state, c, r.user.personId);
      const url = new URL(c.req.url);
      url.searchParams.delete('login_token');
      return c.redirect(url.pathname + url.search);
    }
    // Browsers reach CT with a session only; without one every path shows the login page (G10).
    if (!r.user || r.via !== 'session') {
      return loginPage(c, state, new URL(c.req.url).pathname);
    }
    if (!installed) {
      return page(c, `Nicht gefunden – ${state.siteName}`, '', `${topbar(state, r.user, '')}<main class="ct-main"><h1>Seite nicht gefunden</h1></main>`, 404);
    }

    const rest = (c.req.path.split(`/ccm/${key}/`)[1] ?? '').replace(/^\/+/, '');
    if (key === EXTENSION_KEY && rest !== 'index.html') {
      const served = await distFile(c, rest);
      if (served) return served;
    }

    const perms = state.permissions.get(r.user.personId);
    const canView = perms?.customModules[key]?.view === true;
    const head = settingsHead(c, r.user, r.sessionId);
    let notice = '';
    if (key !== EXTENSION_KEY || !distRoot) {
      notice = '<p class="ct-notice">Die Erweiterung ist nicht gebaut. Starte den Stand-in mit <code>--dist dist</code> nach <code>npm run build</code>.</p>';
    } else if (canView) {
      // Without the module's view right CT serves its page without the extension script (platform notes §3).
      const index = await readFile(resolve(distRoot, 'index.html'), 'utf8').catch(() => undefined);
      if (index === undefined) notice = '<p class="ct-notice">Die Erweiterung ist nicht gebaut (dist/index.html fehlt).</p>';
      else head.push(...extensionTags(index));
    }
    return page(c, `Sync – ${state.siteName}`, head.join('\n'), `${topbar(state, r.user, 'Sync')}\n<main class="ct-main">${notice}<div id="app"></div></main>`);
  };
  app.get('/ccm/:key', (c) => c.redirect(`/ccm/${c.req.param('key')}/`));
  app.get('/ccm/:key/', ccm);
  app.get('/ccm/:key/*', ccm);

  // New format: the built output, to logged-in browsers ([I] like /ccm/<key>/ assets).
  app.get('/extensions/:key/*', async (c) => {
    const key = c.req.param('key');
    const r = resolveUser(state, c);
    const installed = [...state.customModules.values()].some((m) => m.shorty === key);
    if (!r.user || r.via !== 'session' || !installed || key !== EXTENSION_KEY) return c.text('Not Found', 404);
    const rest = (c.req.path.split(`/extensions/${key}/`)[1] ?? '').replace(/^\/+/, '');
    return (await distFile(c, rest)) ?? c.text('Not Found', 404);
  });

  // New format: a host page that imports extension.es.js and renders its `main` entry point.
  app.get('/extension-host/:key', (c) => c.redirect(`/extension-host/${c.req.param('key')}/`));
  app.get('/extension-host/:key/', async (c) => {
    const key = c.req.param('key');
    const r = resolveUser(state, c);
    const token = c.req.query('login_token');
    if (token && r.user) {
      createSession(state, c, r.user.personId);
      return c.redirect(new URL(c.req.url).pathname);
    }
    if (!r.user || r.via !== 'session') return loginPage(c, state, new URL(c.req.url).pathname);
    const installed = [...state.customModules.values()].some((m) => m.shorty === key);
    if (!installed) {
      return page(c, `Nicht gefunden – ${state.siteName}`, '', `${topbar(state, r.user, '')}<main class="ct-main"><h1>Seite nicht gefunden</h1></main>`, 404);
    }
    const head = settingsHead(c, r.user, r.sessionId);
    const canView = state.permissions.get(r.user.personId)?.customModules[key]?.view === true;
    const built = key === EXTENSION_KEY && distRoot !== undefined && (await stat(resolve(distRoot, 'extension.es.js')).catch(() => undefined)) !== undefined;
    let notice = '';
    if (!built) notice = '<p class="ct-notice">Die Erweiterung ist nicht gebaut (extension.es.js fehlt). Starte den Stand-in mit <code>--dist dist</code> nach <code>npm run build</code>.</p>';
    else if (canView) head.push('<script type="module" src="/standin-assets/extension-host.js"></script>');
    return page(
      c,
      `Sync – ${state.siteName}`,
      head.join('\n'),
      `${topbar(state, r.user, 'Sync')}\n<main class="ct-main">${notice}<p id="extension-status" role="status"></p><div id="extension-root" data-extension-key="${escapeHtml(key)}" data-extension-point="main"></div></main>`,
    );
  });

  return app;
}
