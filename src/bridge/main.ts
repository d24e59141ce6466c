/**
 * Entry point: `npx tsx src/bridge/main.ts [serve|demo|token|help] [options]`.
 * Human-facing output (URL, tokens, errors) goes to stderr; stdout carries JSON log lines only.
 */
import { existsSync } from 'node:fs';
import { HELP, UsageError, parseCli } from './cli.ts';
import type { CliArgs } from './cli.ts';
import { ConfigError, loadConfig, overridesFromEnv } from './config.ts';
import type { BridgeConfig } from './config.ts';
import { createDemoDatabase } from './demo-db.ts';
import { formatDoctor, runDoctor } from './doctor.ts';
import { jsonLogger } from './http/log.ts';
import { openBridge, startBridge } from './server.ts';
import { generateToken } from './state/tokens.ts';
import { redact } from './store/secrets.ts';
import type { IssuedTokens } from './state/tokens.ts';

const say = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

function printTokens(tokens: Partial<IssuedTokens>): void {
  say('');
  say('  New bridge tokens. They are shown only now; the bridge keeps just their hashes.');
  if (tokens.readWrite) say(`  read-write: ${tokens.readWrite}`);
  if (tokens.readOnly) say(`  read-only:  ${tokens.readOnly}`);
  if (tokens.readWrite) say('  Enter the read-write token in the ChurchTools Sync connection.');
  say('  Run "token" to replace them.');
  say('');
}

async function serve(config: BridgeConfig, args: CliArgs): Promise<void> {
  if (config.store.kind === 'sqlite' && !existsSync(config.databasePath)) {
    if (!args.createDemo) {
      throw new ConfigError(`No database at ${config.databasePath}. Create the demo with "demo", pass --create-demo, or set --database.`);
    }
    await createDemoDatabase(config.databasePath);
    say(`Created demo database ${config.databasePath}`);
  }
  const loginToken = process.env['OPTIGEM_BRIDGE_CT_TOKEN'];
  const bridge = await startBridge({ ...config, logger: jsonLogger(), ...(loginToken ? { nightlyLoginToken: loginToken } : {}) });
  say(`Optigem bridge listening on ${bridge.url} (health: ${bridge.url}/v1/health)`);
  if (bridge.nightly) {
    const { window, timeZone } = bridge.nightly.nightly;
    say(`  Nightly runs of jobs with automatic execution: ${window.start}–${window.end} (${timeZone}) against ${config.nightly.churchToolsUrl}.`);
  }
  if (config.allowedOrigins.length === 0) say('  No allowed origins: browsers cannot call this bridge. Add --origin https://<tenant>.church.tools.');
  if (bridge.tokens) printTokens(bridge.tokens);
  const stop = (): void => {
    void bridge.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function rotateTokens(config: BridgeConfig, scope: CliArgs['scope']): Promise<void> {
  const opened = await openBridge(config);
  try {
    const now = new Date().toISOString();
    const issued: Partial<IssuedTokens> = {};
    if (scope !== 'read') {
      const rw = generateToken('readwrite', 'read-write', now);
      opened.state.tokens.replaceScope(rw.record);
      issued.readWrite = rw.token;
    }
    if (scope !== 'readwrite') {
      const ro = generateToken('read', 'read-only', now);
      opened.state.tokens.replaceScope(ro.record);
      issued.readOnly = ro.token;
    }
    printTokens(issued);
    say('  A running bridge accepts the new tokens at once.');
  } finally {
    await opened.close();
  }
}

async function main(): Promise<void> {
  const args = parseCli(process.argv.slice(2), process.env);
  if (args.command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const config = loadConfig({ file: args.configFile, env: overridesFromEnv(process.env), flags: args.flags });
  if (args.command === 'demo') {
    await createDemoDatabase(config.databasePath, { overwrite: args.force });
    say(`Created demo database ${config.databasePath}`);
  } else if (args.command === 'doctor') {
    const report = await runDoctor(config);
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report));
    process.exitCode = report.ok ? 0 : 1;
  } else if (args.command === 'token') {
    await rotateTokens(config, args.scope);
  } else {
    await serve(config, args);
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) {
    say(error.message);
    if (error instanceof UsageError) say('Run with --help for usage.');
  } else {
    say(`Bridge failed: ${redact(error instanceof Error ? error.message : String(error))}`);
  }
  process.exit(error instanceof UsageError ? 2 : 1);
});
