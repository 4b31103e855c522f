/**
 * `bragbot serve` as a child process, the way a council runs it (bin/bragbot.mjs), for fault
 * tests that kill or starve it and for the start-up and acknowledgement benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  /** From spawn to the Slack receiver's health check answering 200. */
  startupMs: number;
  slackUrl: string;
  /** /healthz, /readyz and /metrics (OPS_PORT, a free port unless env names one). */
  opsUrl: string;
  /** SIGKILL: no shutdown code runs. */
  kill(): Promise<void>;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `bragbot serve` (bin/bragbot.mjs, as a user would) with SLACK_MODE=http on a free port
 * and waits until GET /slack/healthz answers. stderr is kept for the error message if it dies.
 */
export async function startServe(env: Record<string, string>, timeoutMs = 60_000): Promise<ServeProcess> {
  // BENCH_SERVE_PROFILE=<dir>: a CPU profile of the served process, written when it stops.
  const profile = process.env.BENCH_SERVE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVE_PROFILE}`] : [];
  const port = await freePort();
  const opsPort = env.OPS_PORT ?? String(await freePort());
  const root = join(import.meta.dirname, '..', '..');
  const t0 = performance.now();
  const child = spawn(process.execPath, [...profile, join(root, 'bin', 'bragbot.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', SLACK_MODE: 'http', SLACK_PORT: String(port), OPS_HOST: '127.0.0.1', ...env, OPS_PORT: opsPort },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const slackUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bragbot serve exited ${child.exitCode}: ${stderr}`);
    if (performance.now() - t0 > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`bragbot serve did not answer on ${slackUrl}/slack/healthz within ${timeoutMs} ms: ${stderr}`);
    }
    const ok = await fetch(`${slackUrl}/slack/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const startupMs = Math.round(performance.now() - t0);
  return {
    child,
    startupMs,
    slackUrl,
    opsUrl: `http://127.0.0.1:${opsPort}`,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
