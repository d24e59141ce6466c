/** The nightly runner: its status with reasons, and "run now" (what the window does, at once). */
import { NightlyRunSchema, NightlyStartedSchema, NightlyStatusSchema } from '../../optigem/schemas.ts';
import type { NightlyStatusBody } from '../../optigem/schemas.ts';
import { NightlyBusyError, NightlyJobUnknownError } from '../../runner/nightly.ts';
import type { NightlyRunner } from '../../runner/nightly.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import type { Route } from '../http/route.ts';

export type NightlyControl = Pick<NightlyRunner, 'status' | 'startRunNow'>;

function statusBody(nightly: NightlyControl | undefined): NightlyStatusBody {
  if (!nightly) return { enabled: false, nextRun: null, busy: false, window: null, timeZone: null, lastResults: [] };
  const s = nightly.status();
  return { enabled: true, nextRun: s.nextRun, busy: s.busy, window: s.window, timeZone: s.timeZone, lastResults: [...s.lastResults] };
}

export function nightlyRoutes(nightly: () => NightlyControl | undefined): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/nightly',
      summary: 'The nightly runner: next run, whether it is busy, and the last result of each job with its reason.',
      tag: 'nightly',
      access: 'read',
      response: { status: 200, schema: NightlyStatusSchema, description: 'The nightly runner (enabled: false when nightly runs are off).' },
      handle: () => ({ status: 200, body: statusBody(nightly()) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/nightly/run',
      summary: 'Run now: what the nightly window does, at once, for every job with automatic execution or the one named. Answers when the runs have started; GET /v1/nightly shows them finish.',
      tag: 'nightly',
      access: 'write',
      body: NightlyRunSchema,
      response: { status: 200, schema: NightlyStartedSchema, description: 'The jobs that started.' },
      errors: [404, 409],
      handle: async ({ body }) => {
        const runner = nightly();
        if (!runner) throw new ApiError(409, 'nightlyOff', 'Nightly runs are not enabled on this bridge: set nightly.enabled (and the ChurchTools address and login token) in its configuration.');
        try {
          const { jobs } = await runner.startRunNow(body.job);
          return { status: 200, body: { started: [...jobs] } };
        } catch (error) {
          if (error instanceof NightlyBusyError) throw new ApiError(409, 'nightlyBusy', error.message);
          if (error instanceof NightlyJobUnknownError) throw new ApiError(404, 'notFound', error.message);
          throw error;
        }
      },
    }),
  ];
}
