import { describe, expect, it } from 'vitest';
import { executionSummary, jobTable, ProgressBar } from '../../src/cli/render.ts';
import { judgeExecution } from '../../src/cli/report.ts';
import { localeFromEnv } from '../../src/runner/messages.ts';
import { emptyCounters, type Execution, type LogEntry } from '../../src/sync/model.ts';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 60, write: (chunk: string) => chunks.push(chunk) };
}

const execution: Execution = {
  id: 'exec-1',
  jobId: 'job-1',
  connectionId: 'conn-1',
  dryRun: false,
  status: 'refused',
  startedAt: '2026-03-02T00:00:00.000Z',
  finishedAt: '2026-03-02T00:00:05.000Z',
  counters: emptyCounters(),
  errorCount: 0,
  conflictCount: 0,
  refusal: { key: 'refusal.massChange', args: { count: 30, pairs: 177, percent: 10 } },
};

const skip: LogEntry = {
  seq: 1,
  action: 'archiveInOptigem',
  type: 'skip',
  system: 'optigem',
  ctId: null,
  ogId: null,
  label: '',
  changes: [],
  message: { key: 'log.skip.incompleteRead', args: { action: 'archiveInOptigem', systems: 'churchtools' } },
  level: 'warning',
  state: 'skipped',
};

describe('CLI output', () => {
  it('draws a progress bar only on a terminal', () => {
    const tty = stream(true);
    const bar = new ProgressBar(tty, 'en');
    bar.update({ done: 5, total: 10, step: 'action.link' });
    bar.clear();
    expect(tty.chunks[0]).toMatch(/^\r\x1b\[2K\[#{12}-{12}\]  50% 5\/10 Link people/);
    expect(tty.chunks[0]!.length).toBeLessThan(70);
    expect(tty.chunks.at(-1)).toBe('\r\x1b[2K');
  });

  it('prints a plain progress line at most every few seconds when stderr is no terminal', () => {
    const pipe = stream(false);
    let now = 0;
    const bar = new ProgressBar(pipe, 'de', 'transaction', 5000, () => now);
    bar.update({ done: 1, total: 4, step: 'action.import' });
    now = 1000;
    bar.update({ done: 2, total: 4, step: 'action.import' });
    now = 6000;
    bar.update({ done: 3, total: 4, step: 'action.import' });
    bar.clear();
    expect(pipe.chunks).toEqual([' 25% 1/4 Buchungen importieren\n', ' 75% 3/4 Buchungen importieren\n']);
  });

  it('explains a refusal and its exit code, in English or German', () => {
    const judged = judgeExecution(execution, null);
    expect(judged).toEqual({ exitCode: 3, outcome: 'massChange' });
    const text = executionSummary({ jobName: 'Aufräumen', execution, plan: null, entries: [], ...judged }, 'en', false);
    expect(text.split('\n')[0]).toBe('Run refused: mass change needs confirmation: "Aufräumen"');
    expect(text).toContain('Refused: Stopped: 30 of 177 pairs would be archived or deleted (more than 10 %)');
    expect(text).toContain('needs --confirm-mass-change (exit code 3)');
    const incomplete: Execution = {
      ...execution,
      dryRun: true,
      status: 'incomplete',
      refusal: undefined,
      problems: [{ key: 'problem.readIncomplete', args: { system: 'Optigem', what: 'page 1 of /v1/persons', detail: 'HTTP 401' } }],
    };
    const judgedIncomplete = judgeExecution(incomplete, null);
    expect(judgedIncomplete).toEqual({ exitCode: 4, outcome: 'incomplete' });
    const german = executionSummary({ jobName: 'Aufräumen', execution: incomplete, plan: null, entries: [skip], ...judgedIncomplete }, 'de', false);
    expect(german.split('\n')[0]).toBe('Simulation unvollständig: „Aufräumen“');
    expect(german).toContain('Unvollständig: Optigem wurde nicht vollständig gelesen (page 1 of /v1/persons: HTTP 401)');
    expect(german).toContain('! Übersprungen — Personen im verbundenen System archivieren: „Personen im verbundenen System archivieren“ übersprungen');
    // Every line of the summary in the reader's language, not only the engine's messages.
    expect(german).toContain('Ergebnis: unvollständig: ein Lesen schlug fehl; Ursache beheben und erneut simulieren (Exit-Code 4)');
    expect(german).toMatch(/^Ausführung \S+ \(unvollständig\), /m);
    expect(german).toContain('1 Protokolleintrag: 0 Fehler, 0 Konflikte, 1 Warnung');
    expect(german).not.toMatch(/\b(?:Execution|log entries|Result|exit code|pairs|create|update)\b/);
    expect(judgeExecution({ ...execution, refusal: { key: 'blocker.unmappedValue' } }, null)).toEqual({ exitCode: 2, outcome: 'preflightRefused' });
    expect(judgeExecution({ ...execution, status: 'succeeded', refusal: undefined, conflictCount: 2 }, null)).toEqual({ exitCode: 1, outcome: 'conflicts' });
    expect(judgeExecution({ ...execution, status: 'failed', refusal: undefined }, null)).toEqual({ exitCode: 1, outcome: 'failed' });
    expect(localeFromEnv({ LANG: 'de_DE.UTF-8' })).toBe('de');
    expect(localeFromEnv({ LANG: 'C' })).toBe('en');
  });
});

describe('CLI job list', () => {
  it('names the possible duplicates of a job\'s last execution', () => {
    const last: Execution = { ...execution, status: 'succeeded', conflictCount: 6, possibleDuplicateCount: 6 };
    const table = jobTable([{ id: 'job-1', name: 'Mitglieder', domain: 'person', autoRun: false, last }]);
    expect(table).toContain('2 Mar 2026, 00:00 run succeeded, 6 conflicts, 6 possible duplicates');
  });
});
