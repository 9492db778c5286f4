/**
 * Lets the event loop serve what waits (requests, timers, I/O) before long work goes on: awaited
 * between the batches of a job that runs in the request thread (docs/DESIGN.md, "Long work off
 * the request loop"). An `await` of a settled promise does not do this: it only runs microtasks.
 */
export function nextTurn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
