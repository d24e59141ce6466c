/** What other parts (tests, `npm start`, the nightly runner) use of the bridge. Node only. */
export { startBridge, openBridge } from './server.ts';
export type { RunningBridge, StartOptions } from './server.ts';
export { createDemoDatabase, createTempDemoDatabase } from './demo-db.ts';
export type { TempDatabase, DemoDatabaseOptions } from './demo-db.ts';
export type { BridgeConfig, BridgeConfigInput } from './config.ts';
export type { IssuedTokens } from './state/tokens.ts';
export { jsonLogger, silentLogger } from './http/log.ts';
export type { Logger } from './http/log.ts';
