import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDemoDatabase, startBridge } from '../../src/bridge/index.ts';
import { BridgeClient } from '../../src/optigem/client.ts';
import { BridgeError } from '../../src/optigem/errors.ts';
import { CT_ORIGIN, TEST_STORE, startTestBridge, testStore } from './helpers.ts';
import type { TestBridge } from './helpers.ts';

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge({ maxBodyBytes: 10_000 });
});
afterAll(async () => {
  await t.close();
});

describe('bearer tokens', () => {
  it('answers health without a token, with version, store kind and server time', async () => {
    const res = await t.call('/v1/health', { token: null });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', store: TEST_STORE, apiVersion: 'v1' });
    expect(Math.abs(Date.parse(String(body['serverTime'])) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses data without a token with 401 and a Bearer challenge', async () => {
    const res = await t.call('/v1/persons', { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('refuses a wrong token with 401', async () => {
    const res = await t.call('/v1/persons', { token: `${t.rw}x` });
    expect(res.status).toBe(401);
  });

  it('lets the read-only token read but not write (403)', async () => {
    expect((await t.call('/v1/persons?limit=1', { token: t.ro })).status).toBe(200);
    const res = await t.call('/v1/persons', { method: 'POST', token: t.ro, json: { lastName: 'Nur-Lesend' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('stores only hashes of the tokens', () => {
    const rows = t.rawStateDb().prepare('SELECT * FROM bridge_tokens').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(t.rw);
    expect(dump).not.toContain(t.ro);
  });

  it('keeps tokens across restarts and prints new ones only on the first start', async () => {
    const db = await createTempDemoDatabase({ knownChangeTimes: false });
    try {
      const first = await startBridge({ ...testStore(db.path) });
      await first.close();
      const second = await startBridge({ ...testStore(db.path) });
      expect(second.tokens).toBeUndefined();
      const res = await fetch(`${second.url}/v1/meta`, { headers: { Authorization: `Bearer ${first.tokens?.readWrite}` } });
      expect(res.status).toBe(200);
      await second.close();
    } finally {
      db.remove();
    }
  });
});

describe('CORS', () => {
  it('echoes an allowed ChurchTools origin and exposes the ETag', async () => {
    const res = await t.call('/v1/persons/1001', { headers: { Origin: CT_ORIGIN } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(CT_ORIGIN);
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('ETag');
    expect(res.headers.get('Vary')).toContain('Origin');
  });

  it('gives any other origin no allow header, and never "*"', async () => {
    const res = await t.call('/v1/persons/1001', { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('answers a preflight, including the private-network request', async () => {
    const res = await t.call('/v1/persons/1001', {
      method: 'OPTIONS',
      token: null,
      headers: {
        Origin: CT_ORIGIN,
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'authorization, content-type, if-match',
        'Access-Control-Request-Private-Network': 'true',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(CT_ORIGIN);
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('PATCH');
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('if-match');
    expect(res.headers.get('Access-Control-Allow-Private-Network')).toBe('true');
  });

  it('answers a preflight from another origin without any allow header', async () => {
    const res = await t.call('/v1/persons', {
      method: 'OPTIONS',
      token: null,
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Private-Network': 'true' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(res.headers.get('Access-Control-Allow-Private-Network')).toBeNull();
  });

  it('refuses a wildcard origin in the configuration', async () => {
    await expect(startBridge({ ...testStore(t.dbPath), allowedOrigins: ['*'] })).rejects.toThrow();
  });
});

describe('requests and logs', () => {
  it('refuses a body over the size limit with 413', async () => {
    const res = await t.call('/v1/persons', { method: 'POST', json: { lastName: 'x'.repeat(20_000) } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payloadTooLarge');
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const res = await t.call('/v1/openapi.json', { token: null });
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/health', '/v1/persons', '/v1/persons/{nr}', '/v1/fiscal-years/{year}/bookings', '/v1/fiscal-years/{year}/donor-0']),
    );
    expect(doc.components.schemas).toHaveProperty('Person');
    expect(doc.paths['/v1/persons/{nr}']).toHaveProperty('patch');
  });

  it('logs JSON lines with ids only: no token, no names', async () => {
    await t.call('/v1/persons/1001');
    expect(t.logLines.length).toBeGreaterThan(0);
    const log = t.logLines.join('\n');
    for (const line of t.logLines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(log).not.toContain(t.rw);
    expect(log).not.toContain(t.ro);
    const person = (await (await t.call('/v1/persons/1001')).json()) as { lastName: string };
    expect(log).not.toContain(person.lastName);
    expect(log).toContain('/v1/persons/1001');
  });

  it('masks a token pasted into a path in the request log', async () => {
    const lines = t.logLines.length;
    expect((await t.call(`/v1/persons/${t.rw}`)).status).toBe(400);
    expect((await t.call(`/v1/persons/${t.ro.slice(7)}`)).status).toBe(400);
    const logged = t.logLines.slice(lines).join('\n');
    expect(logged).not.toContain(t.rw);
    expect(logged).not.toContain(t.ro.slice(7));
    expect(logged.match(/\/v1\/persons\/\[redacted\]/g)).toHaveLength(2);
  });

  it('keeps the audit log, which holds personal values, from the read-only token', async () => {
    const ro = await t.call('/v1/audit', { token: t.ro });
    expect(ro.status).toBe(403);
    expect(((await ro.json()) as { error: { code: string; message: string } }).error.message).toMatch(/audit/);
    expect((await t.call('/v1/audit', { token: t.rw })).status).toBe(200);
    expect((await t.call('/v1/persons?limit=1', { token: t.ro })).status).toBe(200);
  });
});

describe('HTTPS', () => {
  const hasOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasOpenssl)('serves HTTPS with the given certificate, and the client names an untrusted one a TLS problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-tls-'));
    const db = await createTempDemoDatabase({ knownChangeTimes: false });
    try {
      const certFile = join(dir, 'cert.pem');
      const keyFile = join(dir, 'key.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const bridge = await startBridge({ ...testStore(db.path), tls: { certFile, keyFile } });
      try {
        expect(bridge.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const status = await new Promise<number>((resolve, reject) => {
          const req = request(`${bridge.url}/v1/health`, { ca: readFileSync(certFile) }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
        expect(status).toBe(200);
        const error = await new BridgeClient({ baseUrl: bridge.url, token: 'x' }).health().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BridgeError);
        expect((error as BridgeError).kind).toBe('tls');
      } finally {
        await bridge.close();
      }
    } finally {
      db.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
