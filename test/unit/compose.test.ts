// Docker does not run here: docker-compose.yml and the Dockerfile are checked against the code instead.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARIABLES, loadConfig } from '../../src/config.ts';
import { SHUTDOWN_TIMEOUT_MS } from '../../src/main.ts';
import { serviceNodeFlags } from '../../bench/procs.ts';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, unknown> | string[];
  env_file?: unknown;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string; interval?: string; timeout?: string };
  stop_grace_period?: string;
  command?: string[];
}

const root = new URL('../../', import.meta.url);
const composeText = readFileSync(new URL('docker-compose.yml', root), 'utf8');
// Merge keys (<<: *anchor) as Compose resolves them.
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((line) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose durations: 40s, 1m30s, 1500ms. */
function durationMs(value: string): number {
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
    total += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  return total;
}

describe('docker-compose.yml', () => {
  it('has Postgres, Redis, the API (ROLE=api) and the workers (ROLE=worker)', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'api', 'worker']));
    expect(environment(services.api!).ROLE).toBe('api');
    expect(environment(services.worker!).ROLE).toBe('worker');
    for (const name of ['api', 'worker']) {
      expect(services[name]!.build, name).toBeDefined();
      expect(services[name]!.depends_on, name).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
    // BullMQ loses jobs if Redis may evict keys.
    expect(services.redis!.command?.join(' ')).toMatch(/--maxmemory-policy noeviction/);
  });

  it('sets only variables that src/config.ts reads, none of them empty', () => {
    for (const name of ['api', 'worker']) {
      const env = environment(services[name]!);
      const unknown = Object.keys(env).filter((k) => !(ENV_VARIABLES as readonly string[]).includes(k));
      expect(unknown, `${name} sets variables the service never reads`).toEqual([]);
      for (const [k, v] of Object.entries(env)) expect(v.trim(), `${name}.${k}`).not.toBe('');
    }
    // No "${X:-}" / "${X-}" anywhere: an unset variable must stay unset, not become "".
    expect(composeText).not.toMatch(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-\}/);
  });

  it('points the service at the compose Postgres and Redis, and needs the shared keys', () => {
    for (const name of ['api', 'worker']) {
      const env = environment(services[name]!);
      expect(new URL(env.DATABASE_URL!.replace(/\$\{[^}]+\}/g, 'x')).hostname).toBe('postgres');
      expect(new URL(env.REDIS_URL!).hostname).toBe('redis');
      // Both processes must share them (secrets encrypted by one are read by the other): required, never generated.
      expect(env.ADMIN_API_KEY).toMatch(/^\$\{ADMIN_API_KEY:\?/);
      expect(env.ENCRYPTION_KEY).toMatch(/^\$\{ENCRYPTION_KEY:\?/);
      expect(env.SANDBOX).toBe('off');
    }
  });

  it('health-checks the API (/ready) and the worker (/health) on their PORT', () => {
    const probe = (name: string) => {
      const test = services[name]!.healthcheck?.test;
      expect(Array.isArray(test), `${name} healthcheck in exec form`).toBe(true);
      expect((test as string[])[0]).toBe('CMD');
      expect(environment(services[name]!).PORT).toMatch(/^\d+$/);
      return (test as string[]).join(' ');
    };
    expect(probe('api')).toMatch(/process\.env\.PORT\+'\/ready'/);
    expect(probe('worker')).toMatch(/process\.env\.PORT\+'\/health'/);
  });

  it('gives each process longer to stop than the service takes to drain', () => {
    // The longest stop: the shutdown bound, after a drain delay where the config has one (SHUTDOWN_DRAIN_MS).
    const config = loadConfig({ ADMIN_API_KEY: 'admin-key-long-enough', ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') });
    const drainMs = (config as unknown as { shutdownDrainMs?: number }).shutdownDrainMs ?? 0;
    for (const name of ['api', 'worker']) {
      const grace = services[name]!.stop_grace_period;
      expect(grace, name).toBeDefined();
      expect(durationMs(grace!)).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS + drainMs);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('runs compiled JavaScript with node as PID 1, as a non-root user, on a supported Node LTS', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:(22|24)[-.\w]*$/m);
    expect(runtime).toMatch(/^CMD \["node",( "--[\w-]+(=\w+)?",)* "dist\/main\.js"\]$/m);
    expect(runtime).toMatch(/^USER (?!root\b|0\b)\w+$/m);
    expect(dockerfile).not.toMatch(/npm start|tsx/);
  });

  it('starts node with the flags `npm start` uses (the bench runs the service with them too)', () => {
    const cmd = JSON.parse(runtime.match(/^CMD (\[.*\])$/m)![1]!) as string[];
    const start = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(cmd.filter((arg) => arg.startsWith('--'))).toEqual(serviceNodeFlags());
    expect(start.split(/\s+/).filter((word) => word.startsWith('--'))).toEqual(serviceNodeFlags());
    expect(serviceNodeFlags()).toContain('--max-semi-space-size=64');
  });

  it('ships production dependencies only', () => {
    const deps = stages.find((s) => /\bAS deps\b/.test(s.split('\n')[0]!))!;
    expect(deps).toMatch(/npm ci --omit=dev --omit=optional/);
    expect(runtime).toMatch(/COPY --from=deps \/app\/node_modules/);
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });
});

describe('.env.example', () => {
  const text = readFileSync(new URL('.env.example', root), 'utf8');
  // Set or commented out: `NAME=value` / `# NAME=value`.
  const named = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

  it('documents every variable the service reads, and no other', () => {
    expect([...named].filter((n) => !(ENV_VARIABLES as readonly string[]).includes(n))).toEqual([]);
    expect(ENV_VARIABLES.filter((n) => !named.has(n))).toEqual([]);
  });
});
