// The compiled build runs on its own: tsc's output (imports rewritten from .ts to .js) migrates a
// database, serves /ready and exits 0 on SIGTERM, with plain `node` — no tsx, no esbuild.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, withDatabase } from '../../src/db/migrate.ts';
import { freePort, startRedis, waitUntil, type RedisServer } from '../helpers/pipeline.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
// One level below the project root, like dist/: files are found relative to it (prisma/, .local/).
const outDir = join(root, `.dist-test-${process.pid}-${randomBytes(3).toString('hex')}`);
const databaseUrl = withDatabase(process.env.DATABASE_URL!, `reva_escalations_test_build_${process.pid}_${randomBytes(3).toString('hex')}`);
let redis: RedisServer;

function run(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(async () => {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (tsc.status !== 0) throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
  redis = await startRedis();
}, 150_000);

afterAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await redis?.stop();
  await dropDatabase(databaseUrl).catch(() => {});
});

describe('the compiled build', () => {
  it('emits JavaScript whose relative imports name .js files', () => {
    const main = readFileSync(join(outDir, 'main.js'), 'utf8');
    expect(main).toMatch(/from '\.\/config\.js'/);
    expect(main).not.toMatch(/from '\.\/[^']+\.ts'/);
    expect(readdirSync(join(outDir, 'generated', 'prisma'))).toContain('client.js');
  });

  it('migrates from the build, then serves /ready from node alone and exits 0 on SIGTERM', async () => {
    const migrate = run([join(outDir, 'db/migrate-cli.js')], { DATABASE_URL: databaseUrl });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/applied migration/);

    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [join(outDir, 'main.js')], {
      cwd: root,
      env: {
        PATH: process.env.PATH!,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        ADMIN_API_KEY: `admin-${randomBytes(12).toString('hex')}`,
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      await waitUntil('/ready 200 from the compiled service', async () => (await fetch(`http://127.0.0.1:${port}/ready`)).status === 200, 30_000, 200);
      expect(output).toMatch(/database schema up to date/);
      expect(output).toMatch(/sandbox off/);
      // The process is node running the build: nothing in between, nothing beside it.
      const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      expect(cmdline).toEqual([process.execPath, join(outDir, 'main.js')]);
      const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
      expect(children, 'child processes of the service').toBe('');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/SIGTERM received/);
  }, 60_000);
});
