import { describe, expect, it } from 'vitest';
import { executionSummary, ProgressBar } from '../../src/cli/render.ts';
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
    const judged = judgeExecution(execution, []);
    expect(judged).toEqual({ exitCode: 3, outcome: 'massChange' });
    const text = executionSummary({ jobName: 'Aufräumen', execution, plan: null, entries: [], ...judged }, 'en', false);
    expect(text).toContain('Run (Ausführen) of "Aufräumen": refused');
    expect(text).toContain('Refused: Stopped: 30 of 177 pairs would be archived or deleted (more than 10 %)');
    expect(text).toContain('needs --confirm-mass-change (exit code 3)');
    const german = executionSummary({ jobName: 'Aufräumen', execution: { ...execution, status: 'succeeded', refusal: undefined }, plan: null, entries: [skip], exitCode: 3, outcome: 'incompleteRead' }, 'de', false);
    expect(german).toContain('! Übersprungen — Personen im verbundenen System archivieren: „Personen im verbundenen System archivieren“ übersprungen: Die Daten aus ChurchTools');
    expect(german).toContain('„Aufräumen“'.replace(/[„“]/g, '"') + ': erfolgreich');
    expect(judgeExecution({ ...execution, status: 'succeeded', refusal: undefined }, [skip])).toEqual({ exitCode: 3, outcome: 'incompleteRead' });
    expect(judgeExecution({ ...execution, refusal: { key: 'blocker.unmappedValue' } }, [])).toEqual({ exitCode: 2, outcome: 'preflightRefused' });
    expect(judgeExecution({ ...execution, status: 'succeeded', refusal: undefined, conflictCount: 2 }, [])).toEqual({ exitCode: 1, outcome: 'conflicts' });
    expect(localeFromEnv({ LANG: 'de_DE.UTF-8' })).toBe('de');
    expect(localeFromEnv({ LANG: 'C' })).toBe('en');
  });
});
