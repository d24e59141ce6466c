// Browser stand-in for `axios-logger`, aliased in vite.config.ts for the extension bundle only.
//
// Why: @churchtools/churchtools-client imports axios-logger, which drags chalk, color-convert and
// dateformat (terminal colouring for Node, ~55 KB unminified) into the bundle. The client only
// calls these when its logging is switched on (activateLogging); then requests pass through
// unlogged instead of being printed with terminal colours into the browser console.
export function requestLogger<T>(request: T): T {
  return request;
}

export function responseLogger<T>(response: T): T {
  return response;
}

export function errorLogger<T>(error: T): Promise<never> {
  return Promise.reject(error);
}

export function setGlobalConfig(_config: unknown): void {
  // Nothing to configure: nothing is logged.
}
