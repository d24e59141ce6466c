/**
 * One CLI step of the end-to-end benchmark, in a process of its own so that its CPU time and
 * peak memory are the CLI's alone. Runs the real CLI (`main`) with the ChurchTools pace lifted
 * (the stand-in has no rate limit; ChurchTools' pace is applied afterwards, by arithmetic) and
 * prints one JSON line: exit code, CPU, peak RSS and the CLI's JSON report.
 * Usage (by bench/e2e.ts): tsx bench/e2e/cli-step.ts <cli args…>
 */
import { main } from '../../src/cli/main.ts';

const UNPACED = { requestsPerMinute: 1_000_000, burst: 1_000, concurrency: 3, rateLimitWaitMs: 50, readBackoffMs: 10, requestTimeoutMs: 120_000 };

const start = process.cpuUsage();
let stdout = '';
let stderr = '';
const code = await main(process.argv.slice(2), {
  stdout: { write: (chunk: string) => (stdout += chunk) },
  stderr: { write: (chunk: string) => (stderr += chunk) },
  env: process.env,
  churchToolsHttp: UNPACED,
});
const cpu = process.cpuUsage(start);
interface ReportHead {
  outcome?: unknown;
  execution?: { status?: unknown; counters?: unknown; problems?: unknown[] } | null;
  entries?: { state?: unknown; label?: unknown; error?: { text?: unknown } | null }[];
}
let report: ReportHead | null = null;
try {
  report = JSON.parse(stdout) as ReportHead;
} catch {
  report = null;
}
// Only what the benchmark reads: the whole report of a first sync is tens of megabytes.
// A run's problems and its first failed entries say why it did not succeed.
const failed = (report?.entries ?? []).filter((entry) => entry.state === 'failed').slice(0, 5).map((entry) => ({ label: entry.label, error: entry.error?.text }));
const summary =
  report === null
    ? null
    : { outcome: report.outcome, execution: report.execution ? { status: report.execution.status, counters: report.execution.counters, problems: [...(report.execution.problems ?? []).slice(0, 5), ...failed] } : null };
const line = `${JSON.stringify({ code, cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), report: summary, stderr: stderr.slice(0, 2000), text: report === null ? stdout.slice(0, 2000) : '' })}\n`;
process.stdout.write(line, () => process.exit(0));
