/**
 * Tells someone when a nightly run needs a person: a JSON POST to a configured webhook (a chat
 * channel, a ticket system, a mail gateway) for every result that is not a plain success.
 * Nothing personal is sent: job, status, the reason's message key and the execution id; the
 * details are in the Sync module, behind ChurchTools' login.
 */
import type { NightlyResult } from '../runner/nightly.ts';
import type { Logger } from './http/log.ts';

export interface NightlyNotice {
  readonly event: 'optigem-sync.nightly';
  readonly jobId: string;
  readonly jobName: string;
  readonly status: NightlyResult['status'];
  readonly at: string;
  readonly executionId: string | null;
  /** Message key of the refusal or of the held-back writes, when there is one. */
  readonly reasonKey: string | null;
  readonly heldBack: number;
  readonly text: string;
}

/** Worth telling a person: anything but a success that did everything it planned. */
export function needsAttention(result: NightlyResult): boolean {
  return result.status !== 'succeeded' || result.heldBack !== undefined;
}

export function noticeOf(result: NightlyResult): NightlyNotice {
  const held = result.heldBack?.count ?? 0;
  const why = result.refusal?.key ?? result.heldBack?.message.key ?? null;
  return {
    event: 'optigem-sync.nightly',
    jobId: result.jobId,
    jobName: result.jobName,
    status: result.status,
    at: result.at,
    executionId: result.executionId,
    reasonKey: why,
    heldBack: held,
    text: `Optigem Sync: nightly run of "${result.jobName}" ended ${result.status}${held > 0 ? `, ${held} changes held back for a fresh simulation` : ''}${why ? ` (${why})` : ''}. See the Sync module in ChurchTools.`,
  };
}

export function webhookNotifier(url: string, logger: Logger, fetchImpl: typeof fetch = fetch): (result: NightlyResult) => Promise<void> {
  return async (result) => {
    if (!needsAttention(result)) return;
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(noticeOf(result)),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) logger.log('warn', 'nightly.notify.failed', { status: response.status });
    } catch (error) {
      logger.log('warn', 'nightly.notify.failed', { detail: error instanceof Error ? error.message : String(error) });
    }
  };
}
