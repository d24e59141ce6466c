// A store's list is loaded once (until forced); a caller that asks while a load is in flight
// waits for it instead of seeing the empty list, which a view could otherwise edit and save.

/** Wraps `fetch` so concurrent callers share one load and a loaded list is not read again. */
export function loadOnce(fetch: () => Promise<void>, isLoaded: () => boolean): (force?: boolean) => Promise<void> {
  let inFlight: Promise<void> | null = null;
  return (force = false) => {
    if (inFlight) return inFlight;
    if (isLoaded() && !force) return Promise.resolve();
    inFlight = fetch().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
