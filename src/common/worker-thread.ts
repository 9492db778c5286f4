import * as path from 'path';
import { Writable } from 'stream';
import { parentPort, Worker, workerData } from 'worker_threads';

/**
 * Long work off the request loop (docs/DESIGN.md, "Long work off the request loop"): a worker
 * thread that streams bytes back to the main thread, which writes them to the response at the
 * client's pace.
 *
 * The protocol: the worker posts `chunk` messages and waits for a `more` before its next write
 * (the main thread answers once the response took the chunk, or after its 'drain'), so at most one
 * chunk is in flight and a slow client pauses the worker; `note` messages carry whatever the main
 * thread must know as the work goes (what to audit); `done` carries the result. A client that
 * goes away terminates the worker.
 */

type ToMain = { type: 'chunk'; chunk: Uint8Array } | { type: 'note'; note: unknown } | { type: 'done'; result: unknown } | { type: 'error'; message: string };

/**
 * The worker module next to `callerFile` named `name`, with the caller's own extension: the
 * compiled .js under dist, the .ts source under ts-jest. A .ts worker is loaded through a small
 * bootstrap that transpiles each .ts file it requires (TypeScript is a dev dependency, present
 * wherever the sources run), since the worker's own require knows nothing of ts-jest.
 */
export function siblingWorker(callerFile: string, name: string): string {
  return path.join(path.dirname(callerFile), name + path.extname(callerFile));
}

const BOOT = `
const { workerData } = require('worker_threads');
const boot = workerData.boot;
if (boot.typescript) {
  const ts = require(boot.typescript);
  const fs = require('fs');
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
    experimentalDecorators: true, emitDecoratorMetadata: true, useDefineForClassFields: false, inlineSourceMap: true };
  require.extensions['.ts'] = (module, filename) => {
    const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions });
    module._compile(out.outputText, filename);
  };
}
require(boot.file);
`;

export interface StreamedWork<R, N> {
  /** Every note the worker sent, as it arrives. */
  onNote?: (note: N) => void;
  /** Worker heap limits (MB): the old generation, and the young one (its semi-spaces). */
  heap?: { oldMb: number; youngMb: number };
}

/**
 * Runs `file` (see siblingWorker) in a worker thread with `data`, writing what it streams to `out`
 * (never ending it: the caller may still have to write or audit). Resolves with the worker's
 * result; rejects if it fails, or with ClientGoneError if `out` closed first.
 */
export function streamFromWorker<R, N = unknown>(file: string, data: unknown, out: Writable, opts: StreamedWork<R, N> = {}): Promise<R> {
  const typescript = file.endsWith('.ts') ? require.resolve('typescript') : null;
  const worker = new Worker(BOOT, {
    eval: true,
    workerData: { boot: { file, typescript }, data },
    // the app's environment as this process sees it (engine.ts reads DATABASE_URL when it loads)
    env: { ...process.env },
    resourceLimits: opts.heap ? { maxOldGenerationSizeMb: opts.heap.oldMb, maxYoungGenerationSizeMb: opts.heap.youngMb } : undefined,
  });
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      out.off('close', gone);
      // done, failed or no longer wanted: the thread goes (it would idle on its port otherwise)
      void worker.terminate();
      f();
    };
    const gone = () => settle(() => reject(new ClientGoneError()));
    out.on('close', gone);
    const more = () => {
      if (!settled) worker.postMessage('more');
    };
    worker.on('message', (m: ToMain) => {
      if (m.type === 'chunk') {
        const buf = Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength);
        if (out.write(buf)) more();
        else out.once('drain', more);
      } else if (m.type === 'note') opts.onNote?.(m.note as N);
      else if (m.type === 'done') settle(() => resolve(m.result as R));
      else settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`worker stopped (exit code ${code}) before it finished`))));
  });
}

/** The client closed the connection before the work was done: nothing more to send. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection');
  }
}

/**
 * The worker's side: runs `work` with the data the main thread gave, a Writable whose bytes go to
 * the main thread at the client's pace, and a way to send notes; posts the result when `out` has
 * been ended and every byte was taken.
 */
export function workerTask<D, R>(work: (data: D, out: Writable, note: (n: unknown) => void) => Promise<R>): void {
  const port = parentPort;
  if (!port) throw new Error('workerTask runs in a worker thread');
  let waiting: (() => void) | null = null;
  port.on('message', (m) => {
    if (m === 'more' && waiting) {
      const w = waiting;
      waiting = null;
      w();
    }
  });
  const send = (chunk: Buffer, cb: (e?: Error | null) => void) => {
    waiting = () => cb();
    // A chunk that owns its memory is handed over rather than copied (a copy of each chunk was a
    // seventh of a CSV export's time); a slice of a shared pool is copied.
    const owns = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && !(chunk.buffer instanceof SharedArrayBuffer);
    if (owns) port.postMessage({ type: 'chunk', chunk } satisfies ToMain, [chunk.buffer as ArrayBuffer]);
    else port.postMessage({ type: 'chunk', chunk } satisfies ToMain);
  };
  const out = new Writable({
    highWaterMark: 256 * 1024,
    write: (chunk: Buffer, _enc, cb) => send(chunk, cb),
    writev: (chunks, cb) => send(Buffer.concat(chunks.map((c) => c.chunk as Buffer)), cb),
  });
  const note = (n: unknown) => port.postMessage({ type: 'note', note: n } satisfies ToMain);
  const data = (workerData as { data: D }).data;
  work(data, out, note).then(
    async (result) => {
      if (!out.writableEnded) out.end();
      if (!out.writableFinished) await new Promise((r) => out.once('finish', r));
      port.postMessage({ type: 'done', result } satisfies ToMain);
    },
    (e: unknown) => port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ToMain),
  );
}
