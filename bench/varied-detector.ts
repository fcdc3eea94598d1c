/**
 * Varied traffic on a fresh detector: `npx tsx bench/varied-detector.ts` (the detector phase runs it
 * in a process of its own, on the service's runtime: dist/ unless BENCH_RUNTIME=tsx). After the API's
 * own warm-up, detect() reads every conversation of the own set (test/fixtures/conversations, each
 * through the request schema as the route parses it) three times over; it prints, as JSON, the CPU
 * time (all threads) and the elapsed time a conversation of each pass.
 *
 * Why: the detector bench repeats a few conversations, which a process soon has compiled and cached
 * for. Real traffic keeps bringing words, phrasings and signal combinations a process has not met;
 * the first pass is that traffic, the third what the same conversations cost once everything is warm.
 */
import type { ConversationInput } from '../src/detection/index.ts';
import { loadOwnSet } from './conversations.ts';
import { RUNTIME } from './procs.ts';

/** The service's modules from the runtime it runs on (dist/: what `npm start` runs). */
async function service() {
  const from = (file: string) => (RUNTIME === 'dist' ? `../dist/${file}.js` : `../src/${file}.ts`);
  const [schemas, warmUp, detection, prototypes] = await Promise.all([
    import(from('escalations/schemas')) as Promise<typeof import('../src/escalations/schemas.ts')>,
    import(from('escalations/warm-up')) as Promise<typeof import('../src/escalations/warm-up.ts')>,
    import(from('detection/index')) as Promise<typeof import('../src/detection/index.ts')>,
    import(from('fast-prototypes')) as Promise<typeof import('../src/fast-prototypes.ts')>,
  ]);
  return { ...schemas, ...warmUp, ...detection, ...prototypes };
}

export interface VariedFigures {
  conversations: number;
  warmUpMs: number;
  /** CPU µs a conversation (all the process's threads: V8 compiles on threads of its own), pass 1, 2, 3 */
  passes: number[];
  /** elapsed µs a conversation, pass 1, 2, 3 */
  elapsed: number[];
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

export async function runVariedDetector(): Promise<VariedFigures> {
  const { escalateBody, CHANNELS, warmUpDetector, compileSettings, detect, restoreFastPrototypes } = await service();
  const channels = new Set<string>(CHANNELS);
  restoreFastPrototypes();
  const bodies: ConversationInput[] = [];
  for (const c of loadOwnSet()) {
    // the own set names a few channels the API does not take; the detector does not read the channel
    const channel = channels.has(String(c.input.channel)) ? c.input.channel : 'web_chat';
    const parsed = escalateBody.safeParse({ ...c.input, channel, conversationId: c.id });
    if (parsed.success) bodies.push(parsed.data);
  }
  const t0 = performance.now();
  warmUpDetector();
  const warmUpMs = performance.now() - t0;
  const settings = compileSettings({});
  const passes: number[] = [];
  const elapsed: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const cpu = cpuUs();
    const wall = performance.now();
    for (const body of bodies) detect(body, settings);
    elapsed.push(((performance.now() - wall) * 1000) / bodies.length);
    passes.push((cpuUs() - cpu) / bodies.length);
  }
  return { conversations: bodies.length, warmUpMs, passes, elapsed };
}

if (process.argv[1]?.endsWith('varied-detector.ts')) console.log(JSON.stringify(await runVariedDetector()));
