/**
 * Runs tasks one after another. Every store access goes through one queue, so a write's
 * read-check-write (If-Match, idempotency key) cannot interleave with another request.
 * Throughput does not matter here: a parish has hundreds, not millions, of records.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
