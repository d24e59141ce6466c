/**
 * The legacy AJAX API (`POST /?q=churchdb/ajax`), the only way public code creates relationships such
 * as spouses (reference ct-api.md §1.8). The JS client's `oldApi()` posts JSON `{func, ...params}` with a
 * `CSRF-Token` header and treats `{status: 'success'}` as success.
 */
import type { Context } from 'hono';
import { csrfTokenFor, resolveUser } from './auth.ts';
import type { StandInState } from './state.ts';

type Params = Record<string, unknown>;

async function readParams(c: Context): Promise<Params> {
  const type = c.req.header('Content-Type') ?? '';
  if (type.includes('application/json')) {
    const body: unknown = await c.req.json().catch(() => ({}));
    return body !== null && typeof body === 'object' ? (body as Params) : {};
  }
  const form = await c.req.parseBody();
  return { ...form };
}

function int(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

export async function legacyAjax(c: Context, state: StandInState): Promise<Response> {
  const module = c.req.query('q');
  const r = resolveUser(state, c);
  // The old API answers an expired session with status 200 and this message (reference §4.1).
  if (!r.user) return c.json({ message: 'Session expired!' });
  if (module !== 'churchdb/ajax') return c.json({ status: 'error', message: `Unknown module ${module ?? ''}` });
  const expected = csrfTokenFor(r.sessionId ?? `user:${r.user.personId}`);
  if (c.req.header('CSRF-Token') !== expected) return c.json({ status: 'error', message: 'CSRF-Token is invalid' }, 403);

  const perms = state.permissions.get(r.user.personId);
  const params = await readParams(c);
  const func = typeof params.func === 'string' ? params.func : '';
  if (func === 'add_rel' || func === 'del_rel') {
    if (perms?.modules.churchdb?.['edit relations'] !== true) return c.json({ status: 'error', message: 'Keine Berechtigung: edit relations' });
  }

  if (func === 'add_rel') {
    const a = int(params.id);
    const b = int(params.child_id);
    const type = int(params.rel_id);
    if (a === undefined || b === undefined || type === undefined) return c.json({ status: 'error', message: 'id, child_id and rel_id are required' });
    if (!state.persons.has(a) || !state.persons.has(b)) return c.json({ status: 'error', message: 'Person not found' });
    if (!state.relationshipTypes.some((t) => t.id === type)) return c.json({ status: 'error', message: 'Relationship type not found' });
    const existing = state.relationships.find((x) => x.relationshipTypeId === type && ((x.personAId === a && x.personBId === b) || (x.personAId === b && x.personBId === a)));
    if (existing) return c.json({ status: 'success', data: existing.id });
    const id = state.nextId.relationship++;
    state.relationships.push({ id, personAId: a, personBId: b, relationshipTypeId: type });
    return c.json({ status: 'success', data: id });
  }
  if (func === 'del_rel') {
    const relId = int(params.rel_id);
    const before = state.relationships.length;
    state.relationships = state.relationships.filter((x) => x.id !== relId);
    return state.relationships.length < before ? c.json({ status: 'success', data: null }) : c.json({ status: 'error', message: 'Relationship not found' });
  }
  return c.json({ status: 'error', message: `Unknown function ${func}` });
}
