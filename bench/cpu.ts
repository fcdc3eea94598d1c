// CPU time per process from /proc/<pid>/stat (utime + stime, all threads), sampled over a phase.
// Far steadier than req/s on a shared machine: another tenant's load changes latency, not our CPU time.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** utime + stime of a process in ms (of one thread, given its stat file), or undefined when it has exited. */
export function cpuMs(pid: number, statFile = `/proc/${pid}/stat`): number | undefined {
  try {
    const stat = readFileSync(statFile, 'utf8');
    // The command name (field 2) may contain spaces; fields after it start at field 3 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** A named group of processes whose CPU is summed: fixed pids, or pids found again at every sample. */
export interface ProcessGroup {
  name: string;
  pids: () => number[] | Promise<number[]>;
  /** Counted in the service total (API, worker, Postgres, Redis): not the sandbox, not the load generator. */
  inTotal: boolean;
  /** The stat file of one of its ids, when they are not processes (/proc/<pid>/stat). */
  statFile?: (id: number) => string;
}

/** The application_name of the bench's own connections, left out of the Postgres figure. */
export const BENCH_APPLICATION_NAME = 'reva-bench';

/** The application_name of the bench's stand-in for autovacuum (bench/stack.ts), measured apart. */
export const AUTOVACUUM_APPLICATION_NAME = 'bench autovacuum';

/**
 * Postgres backends serving the bench database, excluding the bench's own connections and its
 * autovacuum (a group of its own: postgresAutovacuum). Backends are shared-nothing processes, so their
 * CPU is the queries' cost; the server's background processes (WAL writer, checkpointer, autovacuum)
 * are shared with other users of this cluster and left out.
 */
export function postgresBackends(pool: pg.Pool, database: string): ProcessGroup {
  return backendsNamed('Postgres', pool, database, `application_name NOT IN ($2, $3)`, [BENCH_APPLICATION_NAME, AUTOVACUUM_APPLICATION_NAME]);
}

/**
 * The bench's autovacuum (bench/stack.ts): counted in the service total, as autovacuum's workers run
 * for the service in production, and shown apart, because its cost depends on how the bench's tables
 * grow from empty, not on the service's statements.
 */
export function postgresAutovacuum(pool: pg.Pool, database: string): ProcessGroup {
  return backendsNamed('autovacuum', pool, database, `application_name = $2`, [AUTOVACUUM_APPLICATION_NAME]);
}

function backendsNamed(name: string, pool: pg.Pool, database: string, condition: string, names: string[]): ProcessGroup {
  return {
    name,
    inTotal: true,
    async pids() {
      const { rows } = await pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND ${condition}`,
        [database, ...names],
      );
      return rows.map((r) => r.pid);
    },
  };
}

export const fixed = (name: string, pids: number[], inTotal = true): ProcessGroup => ({ name, pids: () => pids, inTotal });

/**
 * The threads of a node process other than its main one: V8's helpers (optimising compiles, parallel
 * scavenges, concurrent marking) and libuv's pool. Already in the process's own figure, so not in the
 * total; shown apart because they say how much of a process's CPU is V8 compiling (a fresh process)
 * or collecting garbage rather than running our code. (/proc/<tid>/stat would give the whole process's.)
 */
export function otherThreads(name: string, pid: number): ProcessGroup {
  return {
    name,
    inTotal: false,
    statFile: (tid) => `/proc/${pid}/task/${tid}/stat`,
    pids() {
      try {
        return readdirSync(`/proc/${pid}/task`)
          .map(Number)
          .filter((tid) => tid !== pid);
      } catch {
        return [];
      }
    },
  };
}

/**
 * Measures CPU ms per group between start() and stop(). Pids are looked up every `everyMs`: a process
 * first seen after start() counts from zero (it was born in the phase); one that exits loses at most
 * its last interval (pools keep their connections open while busy, so this is rare).
 */
export class CpuMeter {
  private readonly first = new Map<string, Map<number, number>>();
  private readonly last = new Map<string, Map<number, number>>();
  private timer?: NodeJS.Timeout;
  private sampling = Promise.resolve();

  constructor(
    private readonly groups: ProcessGroup[],
    private readonly everyMs = 500,
  ) {}

  private async sample(initial: boolean) {
    for (const group of this.groups) {
      const pids = await group.pids();
      const first = this.first.get(group.name) ?? new Map<number, number>();
      const last = this.last.get(group.name) ?? new Map<number, number>();
      for (const pid of pids) {
        const ms = cpuMs(pid, group.statFile?.(pid));
        if (ms === undefined) continue;
        if (!first.has(pid)) first.set(pid, initial ? ms : 0);
        last.set(pid, ms);
      }
      this.first.set(group.name, first);
      this.last.set(group.name, last);
    }
  }

  async start(): Promise<void> {
    this.first.clear();
    this.last.clear();
    await this.sample(true);
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample(false)).catch(() => {});
    }, this.everyMs);
  }

  /** CPU ms per group name since start(). */
  async stop(): Promise<Record<string, number>> {
    clearInterval(this.timer);
    return this.read();
  }

  /** CPU ms per group name since start(), without stopping. */
  async read(): Promise<Record<string, number>> {
    await this.sampling;
    await this.sample(false);
    const out: Record<string, number> = {};
    for (const group of this.groups) {
      const first = this.first.get(group.name)!;
      let sum = 0;
      for (const [pid, ms] of this.last.get(group.name)!) sum += ms - (first.get(pid) ?? 0);
      out[group.name] = sum;
    }
    return out;
  }

  /** Sum of the groups counted in the total (the sandbox is not). */
  total(ms: Record<string, number>): number {
    return this.groups.filter((g) => g.inTotal).reduce((n, g) => n + (ms[g.name] ?? 0), 0);
  }

  get names(): string[] {
    return this.groups.map((g) => g.name);
  }
}
