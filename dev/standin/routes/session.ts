/**
 * Login, logout, whoami, CSRF token, instance info and global permissions (reference ct-api.md §3).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { createSession, csrfTokenFor, endSession } from '../auth.ts';
import { ApiError, currentUser, envelope, parseBody, sessionExpired, type AppEnv } from '../http.ts';
import { categoriesOf, findUserByName, noModuleRights, type StandInState, type UserPermissions } from '../state.ts';
import { personView } from '../views.ts';

const loginBody = z.object({ username: z.string(), password: z.string(), rememberMe: z.boolean().optional() });

/** `GET /permissions/global` for one user: every installed module appears, missing rights as false/[]. */
export function permissionsView(state: StandInState, perms: UserPermissions | null): Record<string, Record<string, boolean | number[]>> {
  const out: Record<string, Record<string, boolean | number[]>> = {};
  for (const [module, rights] of Object.entries(perms?.modules ?? {})) out[module] = { ...rights };
  for (const m of state.customModules.values()) {
    const r = perms?.customModules[m.shorty] ?? noModuleRights();
    out[m.shorty] = {
      view: r.view,
      'create custom category': r.createCategory,
      'view custom category': categoriesOf(state, m.id, r.viewCategory),
      'edit custom category': categoriesOf(state, m.id, r.editCategory),
      'delete custom category': categoriesOf(state, m.id, r.deleteCategory),
      'view custom data': categoriesOf(state, m.id, r.viewData),
      'create custom data': categoriesOf(state, m.id, r.createData),
      'edit custom data': categoriesOf(state, m.id, r.editData),
      'delete custom data': categoriesOf(state, m.id, r.deleteData),
    };
  }
  return out;
}

export function anonymousPerson() {
  return { id: -1, firstName: 'Anonymous', lastName: 'User', guid: '', email: '', securityLevelForPerson: 0, editSecurityLevelForPerson: 0, imageUrl: null, isArchived: false };
}

export function sessionRoutes({ state }: { state: StandInState }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/info', (c) => c.json({ build: '32882', version: '3.136.0', siteName: `${state.siteName} (Stand-in)`, shortName: 'Stand-in' }));

  app.post('/login', async (c) => {
    const body = await parseBody(c, loginBody);
    const user = findUserByName(state, body.username);
    if (!user || user.password !== body.password) {
      // [I] Status and key of a failed login are not documented; 400 with the envelope is chosen.
      throw new ApiError(400, envelope('Login failed. The username or password is incorrect.', 'auth.login.failed', 'Anmeldung fehlgeschlagen. Benutzername oder Passwort sind falsch.'));
    }
    createSession(state, c, user.personId);
    return c.json({ data: { status: 'success', message: '', personId: user.personId, location: '/?q=home' } });
  });

  app.post('/logout', (c) => {
    endSession(state, c);
    return c.body(null, 204);
  });

  app.get('/whoami', (c) => {
    const user = c.get('user');
    if (!user) {
      // Anonymous callers get the public user unless they insist on a real login (reference §3.2).
      const url = new URL(c.req.url);
      if (url.searchParams.get('only_allow_authenticated') === 'true' || c.req.header('X-OnlyAuthenticated') === '1') throw sessionExpired();
      return c.json({ data: anonymousPerson(), meta: {} });
    }
    const p = state.persons.get(user.personId);
    if (!p) throw sessionExpired();
    return c.json({ data: personView(state, p, c.get('perms'), false), meta: {} });
  });

  app.get('/csrftoken', (c) => {
    const user = currentUser(c);
    return c.json({ data: csrfTokenFor(c.get('sessionId') ?? `user:${user.personId}`) });
  });

  app.get('/permissions/global', (c) => c.json({ data: permissionsView(state, c.get('perms')) }));

  return app;
}
