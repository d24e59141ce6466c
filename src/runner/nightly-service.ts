/**
 * Node only: the nightly runner as a service for the Optigem bridge. Logs in to ChurchTools with
 * a login token when it first needs to (and again after a failed login), so a bridge starts and
 * serves Optigem even while ChurchTools is unreachable; failures show up in `status()`.
 */
import type { CtHttpOptions } from '../churchtools/index.ts';
import { connectHeadless, type Headless } from './headless.ts';
import { NightlyRunner, type NightlyEvent, type NightlyOptions, type NightlyResultStore, type NightlyWindow } from './nightly.ts';

export interface NightlyServiceOptions {
  readonly churchToolsUrl: string;
  readonly loginToken: string;
  readonly window?: NightlyWindow;
  /** IANA time zone of the window; default the process's. */
  readonly timeZone?: string;
  readonly onEvent?: (event: NightlyEvent) => void;
  /** Keeps the last results across restarts. */
  readonly resultStore?: NightlyResultStore;
  /** Tests only: injected clock, timer and pacing. */
  readonly clock?: NightlyOptions['clock'];
  readonly timer?: NightlyOptions['timer'];
  readonly http?: CtHttpOptions;
}

export interface NightlyService {
  readonly nightly: NightlyRunner;
  stop(): Promise<void>;
}

/** Creates and starts the nightly runner. Throws a RangeError for a bad window or time zone. */
export function startNightlyService(options: NightlyServiceOptions): NightlyService {
  // One ChurchTools session per pass (or "run now"): logged in when first needed, logged out
  // after, so the bridge holds no session between nights.
  let session: Promise<Headless> | null = null;
  const endSession = async (): Promise<void> => {
    const ending = session;
    session = null;
    if (ending) await ending.then((h) => h.logout(), () => undefined);
  };
  const headless = (): Promise<Headless> => {
    session ??= connectHeadless({
      churchToolsUrl: options.churchToolsUrl,
      loginToken: options.loginToken,
      owner: 'nightly',
      ...(options.http ? { http: options.http } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    }).catch((error: unknown) => {
      session = null;
      throw error;
    });
    return session;
  };
  const nightly = new NightlyRunner({
    runner: { run: async (jobId, runOptions) => (await headless()).runner.run(jobId, runOptions) },
    around: async (work) => {
      try {
        return await work();
      } finally {
        await endSession();
      }
    },
    storage: {
      jobs: { list: async () => (await headless()).storage.jobs.list() },
      executions: { recent: async (jobId?: string) => (await headless()).storage.executions.recent(jobId) },
    },
    ...(options.window ? { window: options.window } : {}),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.resultStore ? { resultStore: options.resultStore } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timer ? { timer: options.timer } : {}),
  });
  nightly.start();
  return { nightly, stop: () => nightly.stop() };
}


/** A nightly event as one structured log line (flat fields, no personal data, no tokens). */
export function describeNightlyEvent(event: NightlyEvent): {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, string | number | boolean | null>;
} {
  if (event.type === 'error') return { level: 'error', message: 'nightly.error', fields: { detail: event.message } };
  if (event.type === 'started') {
    return { level: 'info', message: 'nightly.started', fields: { jobId: event.jobId, jobName: event.jobName, trigger: event.trigger, reason: event.reason ?? null } };
  }
  const { result } = event;
  const fine = result.status === 'succeeded';
  return {
    level: fine ? 'info' : result.status === 'error' ? 'error' : 'warn',
    message: 'nightly.result',
    fields: {
      jobId: result.jobId,
      jobName: result.jobName,
      status: result.status,
      executionId: result.executionId,
      refusal: result.refusal?.key ?? null,
      heldBack: result.heldBack?.count ?? 0,
      trigger: result.trigger ?? null,
      // Only technical failures carry their text; a lock's reason names a person.
      reason: result.status === 'error' ? (result.reason ?? null) : null,
    },
  };
}
