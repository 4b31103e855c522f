/**
 * SQLite's WAL checkpoints off the event loop, for `bragbot serve` (issue 16).
 *
 * The SQLite drivers are synchronous, and SQLite checkpoints from the connection whose commit takes
 * the WAL past `wal_autocheckpoint` pages (1,000 by default): that commit copies every page back
 * into the database file and fsyncs it, on the event loop. Under a burst of clicks (each writes a
 * dozen pages) that was a 15–100 ms stall every few hundred milliseconds, which every waiting
 * acknowledgement sat behind — the tail of `bench/ack.ts` on SQLite. Here a worker thread with its
 * own connection runs a PASSIVE checkpoint every few hundred milliseconds instead (PASSIVE never
 * waits for, or blocks, the writers), and the process's own connections checkpoint only past a
 * much larger WAL: a safety net should the worker fall behind or die, so the WAL stays bounded.
 */
import { Worker } from 'node:worker_threads';
import { driverForWorker } from './sqlite-driver.js';

/** Pages the event loop's connections let the WAL reach before checkpointing themselves (~40 MB at 4 KiB pages). */
export const SAFETY_NET_PAGES = 10_000;

export interface Checkpointer {
  /** Stops the worker (after the checkpoint in hand, if any). */
  stop(): Promise<void>;
}

// A CommonJS script (worker `eval`), so it needs no file of its own in dist/ or src/.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const driver = require(workerData.driver.module);
const db = workerData.driver.builtin ? new driver.DatabaseSync(workerData.path, { timeout: 0 }) : new driver(workerData.path, { timeout: 0 });
let timer = null;
const tick = () => {
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or gone for a moment: the next tick tries again.
  }
  timer = setTimeout(tick, workerData.everyMs);
};
tick();
parentPort.on('message', () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing `path` every `everyMs` on a worker thread; it never keeps the process alive. */
export function backgroundCheckpoints(path: string, everyMs = 250): Checkpointer {
  const driver = driverForWorker();
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, everyMs } });
  worker.unref();
  // A worker that failed leaves the safety net: nothing to do but not crash the process.
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2_000).unref())]);
      if (!stopped) await worker.terminate();
    },
  };
}
