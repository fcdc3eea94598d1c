// Child processes of the benchmark: the service (API, worker), the sandbox, a private redis-server and
// the bare baselines. Every child is registered here and killed when the bench ends, fails or gets Ctrl-C.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Children's stdout/stderr go here (gitignored), one file per process, for when something fails. */
export const LOG_DIR = path.join(ROOT, 'bench', 'results');

const children = new Set<ChildProcess>();

function killAll(signal: NodeJS.Signals) {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

process.once('exit', () => killAll('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping ${children.size} child process(es)`);
    killAll('SIGTERM');
    setTimeout(() => process.exit(130), 1500).unref();
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Spawns a program (not through npm or a shell, so the pid is the process that does the work). */
export async function startChild(name: string, command: string, args: string[], env: Record<string, string>, ready: () => Promise<boolean>): Promise<Child> {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`));
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `${name} exited (${code ?? signal}); see ${path.relative(ROOT, LOG_DIR)}/${name}.log`;
    children.delete(child);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(exited);
    if (await ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready in 60 s; see ${path.relative(ROOT, LOG_DIR)}/${name}.log`);
    }
    await sleep(100);
  }
  return {
    name,
    pid: child.pid!,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

export const httpReady = (url: string) => async () => (await fetch(url)).ok;

/**
 * How the service runs: `dist` (default, what production runs: `node dist/main.js` after one build)
 * or `tsx` (BENCH_RUNTIME=tsx: `node --import tsx src/main.ts`, no build).
 */
export const RUNTIME: 'dist' | 'tsx' = process.env.BENCH_RUNTIME === 'tsx' ? 'tsx' : 'dist';

/**
 * node arguments that run `src/<file>.ts` in the chosen runtime. The service's processes (src/main.ts)
 * get the flags production starts them with (serviceNodeFlags), then BENCH_SERVICE_NODE_ARGS, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' (NODE_OPTIONS refuses --cpu-prof).
 */
export function nodeArgs(srcFile: string, runtime = RUNTIME): string[] {
  const flags = (variable: string) => (process.env[variable] ?? '').split(' ').filter(Boolean);
  const extra =
    srcFile === 'src/main.ts'
      ? [...serviceNodeFlags(), ...flags('BENCH_SERVICE_NODE_ARGS')]
      : srcFile === 'src/sandbox/main.ts'
        ? flags('BENCH_SANDBOX_NODE_ARGS')
        : [];
  return [...extra, ...nodeFile(srcFile, runtime)];
}

/** The node flags production starts the service with: those of `npm start` (the Dockerfile's CMD has the same; a test checks). */
export function serviceNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

function nodeFile(srcFile: string, runtime: 'dist' | 'tsx'): string[] {
  return runtime === 'dist' ? [path.join('dist', srcFile.replace(/^src\//, '').replace(/\.ts$/, '.js'))] : ['--import', 'tsx', srcFile];
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** `npm run build` when dist/ is missing or older than src/ (once per bench run). */
export function ensureBuilt(): void {
  const main = path.join(ROOT, 'dist', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) return;
  console.log('building dist/ (npm run build) …');
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** A private redis-server on a free port, no persistence: its CPU is the bench's alone. */
export async function startRedis(): Promise<Child & { url: string }> {
  const port = await freePort();
  const child = await startChild(
    'redis',
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    {},
    async () => {
      const { Redis } = await import('ioredis');
      const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => {}); // not listening yet: the connect() below rejects, we poll again
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } finally {
        r.disconnect();
      }
    },
  );
  return { ...child, url: `redis://127.0.0.1:${port}` };
}
