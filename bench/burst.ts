// npm run bench -- burst: a burst wider than Slack's channels (1,500 cases at 300/s over 40 stores, each
// with a Slack channel and a Zendesk account; API and worker separate, so the worker's relay has a lane
// per helpdesk). A channel takes about a message a second, so Slack's case messages go out over ~40 s;
// the line to read is when each helpdesk's deliveries were done: Zendesk's should not wait for Slack's
// (before the relay's lanes, the last Zendesk ticket came 45 s after the first POST, at Slack's pace).
import { randomUUID } from 'node:crypto';
import { fmt, num } from './e2e.ts';
import { conversation } from './env.ts';
import { openLoop, quantile } from './openloop.ts';
import { createFleet, slackArrivals, startStack } from './stack.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function burst(s: { quick: boolean }): Promise<void> {
  const stores = num('BENCH_BURST_STORES', s.quick ? 20 : 40);
  const rate = num('BENCH_BURST_RATE', s.quick ? 100 : 300);
  const seconds = num('BENCH_BURST_S', s.quick ? 3 : 5);
  const drainS = num('BENCH_DRAIN_S', 300);
  const cases = rate * seconds;
  console.log(`\n## Burst: ${fmt(cases)} cases at ${rate}/s over ${stores} stores (Slack + Zendesk), API and worker separate`);
  const stack = await startStack('split', 'burst');
  try {
    const fleet = await createFleet(stack, stores, ['slack', 'zendesk'], 'burst');
    const meter = stack.meter({ loadGenerator: false });
    await meter.start();
    const t0 = Date.now();
    /** Per helpdesk: seconds after the first POST at which half, 90% and all of its deliveries were made. */
    const marks = new Map<string, { half?: number; most?: number; all?: number }>();
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const { rows } = await stack.pool.query(
          `SELECT type::text AS type, count(*) FILTER (WHERE status = 'DELIVERED')::int AS done FROM escalation_integrations GROUP BY 1`,
        );
        const at = (Date.now() - t0) / 1000;
        for (const { type, done } of rows as { type: string; done: number }[]) {
          const m = marks.get(type) ?? {};
          if (m.half === undefined && done >= cases / 2) m.half = at;
          if (m.most === undefined && done >= cases * 0.9) m.most = at;
          if (m.all === undefined && done >= cases) m.all = at;
          marks.set(type, m);
        }
        if (marks.size === 2 && [...marks.values()].every((m) => m.all !== undefined)) return;
        await sleep(250);
      }
    })();
    const sent = await openLoop({
      url: stack.apiUrl,
      rate,
      seconds,
      request: (i) => ({ path: '/escalate', headers: { authorization: `Bearer ${fleet[i % fleet.length]!.apiKey}` }, body: conversation(randomUUID(), true) }),
    });
    const accepted = sent.filter((r) => r.status >= 200 && r.status < 300).length;
    await Promise.race([poll, sleep(drainS * 1000)]);
    polling = false;
    await poll;
    const cpu = await meter.stop();
    const arrivals = [...(await slackArrivals(stack.sandboxUrl)).values()].map((t) => (t - t0) / 1000).sort((a, b) => a - b);
    const { rows: attempts } = await stack.pool.query(`SELECT count(*) FILTER (WHERE attempts <> 1)::int AS n FROM escalation_integrations`);
    console.log(`${fmt(accepted)} of ${fmt(sent.length)} accepted; deliveries made, seconds after the first POST:`);
    console.log('| helpdesk | half | 90% | all |\n|---|---|---|---|');
    for (const [type, m] of [...marks].sort())
      console.log(`| ${type} | ${fmt(m.half ?? Number.NaN, 1)} | ${fmt(m.most ?? Number.NaN, 1)} | ${fmt(m.all ?? Number.NaN, 1)} |`);
    console.log(
      `Slack case messages: ${fmt(arrivals.length)}, p50 ${fmt(quantile(arrivals, 0.5), 1)} s, p90 ${fmt(quantile(arrivals, 0.9), 1)} s, last ${fmt(arrivals.at(-1) ?? Number.NaN, 1)} s; deliveries with more than one attempt: ${attempts[0].n}`,
    );
    console.log(
      `CPU ms per case: ${meter.names.map((n) => `${n} ${fmt((cpu[n] ?? 0) / cases, 2)}`).join(' · ')} · service **${fmt(meter.total(cpu) / cases, 2)}**`,
    );
  } finally {
    await stack.stop();
  }
}
