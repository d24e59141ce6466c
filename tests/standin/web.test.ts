import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { grantModuleRights, revokeModuleRights } from '../../dev/standin/state.ts';

let standIn: StandIn;
let dist: string;

/** A built extension the way Vite writes it with base /ccm/optigem-sync/. */
function writeDist(dir: string): void {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><head>
<script>console.log('inline, must not be injected')</script>
<script type="module" crossorigin src="/ccm/optigem-sync/assets/index-abc123.js"></script>
<link rel="stylesheet" crossorigin href="/ccm/optigem-sync/assets/index-def456.css">
</head><body><div id="app"></div></body></html>`,
  );
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'document.getElementById("app").textContent = "Sync";\n');
  writeFileSync(join(dir, 'assets', 'index-def456.css'), '#app { color: red; }\n');
  // The new format's module and the manifest the host reads.
  writeFileSync(join(dir, 'extension.es.js'), "export * from './assets/index-abc123.js';\n");
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ key: 'optigem-sync', extensionPoints: [{ id: 'main', entryPoint: 'main' }] }));
}

async function login(): Promise<string> {
  const res = await fetch(`${standIn.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: standIn.admin.username, password: standIn.admin.password, redirect: '/ccm/optigem-sync/' }),
  });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/ccm/optigem-sync/');
  const cookie = res.headers.get('set-cookie');
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] ?? '';
}

function scriptTags(html: string): { attrs: string; content: string }[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => ({ attrs: m[1] ?? '', content: m[2] ?? '' }));
}

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'standin-dist-'));
  writeDist(dist);
  standIn = await startStandIn({ extensionDist: dist });
});
afterAll(async () => {
  await standIn.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('ChurchTools page at /ccm/optigem-sync/', () => {
  it('answers the browser\'s favicon request instead of a 404', async () => {
    const res = await fetch(`${standIn.url}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toContain('<svg');
  });

  it('shows the login page to a browser without a session', async () => {
    const res = await fetch(`${standIn.url}/ccm/optigem-sync/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).not.toContain('index-abc123.js');
  });

  it('injects the extension scripts and styles into CT’s own page, with #app and window.settings', async () => {
    const cookie = await login();
    const res = await fetch(`${standIn.url}/ccm/optigem-sync/`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<script type="module" crossorigin src="/ccm/optigem-sync/assets/index-abc123.js"></script>');
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/ccm/optigem-sync/assets/index-def456.css">');
    expect(html).toContain('<div id="app"></div>');
    expect(html).toMatch(/<a href="\/ccm\/optigem-sync\/"[^>]*>Sync<\/a>/);
    expect(html).not.toContain('must not be injected');

    const settings = scriptTags(html).find((s) => s.attrs.includes('id="ct-settings-json"'));
    expect(JSON.parse(settings?.content ?? '{}')).toMatchObject({ base_url: `${standIn.url}/` });
  });

  it('sends a CSP without unsafe-inline for scripts and contains no inline JavaScript', async () => {
    const cookie = await login();
    const res = await fetch(`${standIn.url}/ccm/optigem-sync/`, { headers: { cookie } });
    const policy = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBeDefined();
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    for (const tag of scriptTags(await res.text())) {
      const isData = /type="application\/json"/.test(tag.attrs);
      const isExternal = /\ssrc="/.test(tag.attrs);
      expect(isData || (isExternal && tag.content.trim() === '')).toBe(true);
    }
  });

  it('sets window.settings from an external script, as the CSP demands', async () => {
    const res = await fetch(`${standIn.url}/standin-assets/settings.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("window.settings = el ? JSON.parse(el.textContent || '{}') : {};");
    const css = await (await fetch(`${standIn.url}/standin-assets/churchtools.css`)).text();
    expect(css).toContain('--color-primary');
    expect(css).toContain('--font-sans');
    expect(css).toMatch(/\bbutton \{/);
  });

  it('serves the extension’s assets to a logged-in browser with CT’s content type', async () => {
    const cookie = await login();
    const js = await fetch(`${standIn.url}/ccm/optigem-sync/assets/index-abc123.js`, { headers: { cookie } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('application/x-javascript');
    expect(js.headers.get('cache-control')).toBe('public, max-age=604800');
    const traversal = await fetch(`${standIn.url}/ccm/optigem-sync/..%2F..%2Fetc%2Fpasswd`, { headers: { cookie } });
    expect(await traversal.text()).toContain('<div id="app">');
  });

  it('answers deep links with the page so history routing works', async () => {
    const cookie = await login();
    const res = await fetch(`${standIn.url}/ccm/optigem-sync/jobs/3/executions`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('index-abc123.js');
  });

  it('leaves the extension script out for a user without the module’s view right', async () => {
    const cookie = await login();
    revokeModuleRights(standIn.state, standIn.admin.personId, 'optigem-sync');
    try {
      const html = await (await fetch(`${standIn.url}/ccm/optigem-sync/`, { headers: { cookie } })).text();
      expect(html).toContain('<div id="app"></div>');
      expect(html).not.toContain('index-abc123.js');
    } finally {
      grantModuleRights(standIn.state, standIn.admin.personId, 'optigem-sync');
    }
  });

  it('answers an unknown extension key with 404', async () => {
    const cookie = await login();
    expect((await fetch(`${standIn.url}/ccm/unknown-ext/`, { headers: { cookie } })).status).toBe(404);
  });

  it('redirects / to the login page, and opens a session from ?login_token=', async () => {
    const anonymous = await fetch(`${standIn.url}/`, { redirect: 'manual' });
    expect(anonymous.headers.get('location')).toBe('/login');
    const withToken = await fetch(`${standIn.url}/?login_token=${standIn.admin.loginToken}`, { redirect: 'manual' });
    expect(withToken.headers.get('location')).toBe('/ccm/optigem-sync/');
    const cookie = (withToken.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await fetch(`${standIn.url}/ccm/optigem-sync/`, { headers: { cookie } });
    expect(await page.text()).toContain('index-abc123.js');
  });

  it('says the extension is not built when no dist folder is given', async () => {
    const bare = await startStandIn({ data: 'empty' });
    try {
      const login = await fetch(`${bare.url}/?login_token=${bare.admin.loginToken}`, { redirect: 'manual' });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const html = await (await fetch(`${bare.url}/ccm/optigem-sync/`, { headers: { cookie } })).text();
      expect(html).toContain('Die Erweiterung ist nicht gebaut');
    } finally {
      await bare.close();
    }
  });
});

describe('new extension format: /extensions/optigem-sync/ and a host page that imports it', () => {
  it('serves extension.es.js and the manifest to a logged-in browser, nothing without a session', async () => {
    const cookie = await login();
    const module = await fetch(`${standIn.url}/extensions/optigem-sync/extension.es.js`, { headers: { cookie } });
    expect(module.status).toBe(200);
    expect(module.headers.get('content-type')).toBe('application/x-javascript');
    expect(await module.text()).toContain("export * from './assets/index-abc123.js'");
    const asset = await fetch(`${standIn.url}/extensions/optigem-sync/assets/index-abc123.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    const manifest = await fetch(`${standIn.url}/extensions/optigem-sync/manifest.json`, { headers: { cookie } });
    expect(await manifest.json()).toMatchObject({ key: 'optigem-sync' });
    expect((await fetch(`${standIn.url}/extensions/optigem-sync/extension.es.js`)).status).toBe(404);
    expect((await fetch(`${standIn.url}/extensions/optigem-sync/..%2F..%2Fetc%2Fpasswd`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${standIn.url}/extensions/unknown-ext/extension.es.js`, { headers: { cookie } })).status).toBe(404);
  });

  it('hosts the extension on a page that loads only the host script, which imports the module and renders `main`', async () => {
    const cookie = await login();
    const res = await fetch(`${standIn.url}/extension-host/optigem-sync/`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<div id="extension-root" data-extension-key="optigem-sync" data-extension-point="main"></div>');
    expect(html).toContain('<script type="module" src="/standin-assets/extension-host.js"></script>');
    // The legacy tags are not on this page: the module brings everything.
    expect(html).not.toContain('index-abc123.js');
    const host = await (await fetch(`${standIn.url}/standin-assets/extension-host.js`)).text();
    expect(host).toContain("await import('/extensions/' + key + '/extension.es.js')");
    expect(host).toContain('ext.renderExtension(root.id, entryPoint');
  });

  it('leaves the host script out without the module’s view right, and shows the login page without a session', async () => {
    const cookie = await login();
    revokeModuleRights(standIn.state, standIn.admin.personId, 'optigem-sync');
    try {
      const html = await (await fetch(`${standIn.url}/extension-host/optigem-sync/`, { headers: { cookie } })).text();
      expect(html).toContain('id="extension-root"');
      expect(html).not.toContain('extension-host.js');
    } finally {
      grantModuleRights(standIn.state, standIn.admin.personId, 'optigem-sync');
    }
    expect(await (await fetch(`${standIn.url}/extension-host/optigem-sync/`)).text()).toContain('<form method="post" action="/login">');
  });
});
