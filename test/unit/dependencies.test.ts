import { describe, expect, it } from 'vitest';
import pg from 'pg';
import pino from 'pino';
import { DependencyMonitor } from '../../src/http/dependencies.ts';

const lines: { level: number; msg: string; dependency?: string }[] = [];
const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });

type Behaviour = 'ok' | 'refuse' | 'hang';
const behaviour: Record<'database' | 'redis', Behaviour> = { database: 'ok', redis: 'ok' };
const probe = (name: 'database' | 'redis') => () =>
  behaviour[name] === 'ok' ? Promise.resolve() : behaviour[name] === 'refuse' ? Promise.reject(new Error('refused')) : new Promise(() => {});

const monitor = () => new DependencyMonitor({ database: probe('database'), redis: probe('redis') }, log, { probeTimeoutMs: 50, intervalMs: 0 });

describe('dependency monitor', () => {
  it('a refusal makes a dependency unavailable at once; an answer makes it available; one log line each way', async () => {
    lines.length = 0;
    const m = monitor();
    behaviour.database = 'refuse';
    expect(await m.checkAll()).toEqual({ database: 'down', redis: 'ok' });
    expect(m.isAvailable('database')).toBe(false);
    await m.checkAll();
    await m.checkAll();
    behaviour.database = 'ok';
    await m.checkAll();
    expect(m.isAvailable('database')).toBe(true);
    await m.checkAll();
    expect(lines.map((l) => `${l.level}:${l.msg}`)).toEqual(['50:database unavailable (down): answering 503', '30:database available again']);
  });

  it('a probe without an answer reports timeout; the dependency counts as stalled on the second in a row', async () => {
    lines.length = 0;
    const m = monitor();
    behaviour.redis = 'hang';
    expect(await m.check('redis')).toBe('timeout');
    expect(m.isAvailable('redis')).toBe(true);
    expect(await m.check('redis')).toBe('timeout');
    expect(m.isAvailable('redis')).toBe(false);
    expect(await m.unavailable()).toBe('redis');
    behaviour.redis = 'ok';
    expect(await m.unavailable()).toBeUndefined();
    expect(lines.map((l) => l.msg)).toEqual(['redis unavailable (timeout): answering 503', 'redis available again']);
  });

  it('a busy process is not a stalled dependency: an answer that arrived while the event loop was blocked wins', async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const m = new DependencyMonitor({ database: () => client.query('SELECT 1'), redis: async () => {} }, log, { probeTimeoutMs: 50, intervalMs: 0 });
      const result = m.check('database');
      // Postgres answers within milliseconds, while this process is blocked well past the probe timeout.
      const until = Date.now() + 300;
      while (Date.now() < until) {
        /* busy, like parsing a 5 MiB body */
      }
      expect(await result).toBe('ok');
    } finally {
      await client.end();
    }
  });
});
