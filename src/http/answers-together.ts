import type { FastifyInstance } from 'fastify';

/**
 * Answers finished by one piece of work are written together when it has settled: the first answer
 * waits on process.nextTick, which runs once the microtasks queued with it have all run, so the other
 * requests that the same event finished (a batch of detections, one group-commit answer from Postgres)
 * reach their answers first, and all are written back to back.
 *
 * Why: writing each answer as soon as it is ready interleaves the writes with the next requests' work.
 * A client that read the first answer is then asleep again when the second comes, and waking a
 * sleeping process on another core is the dearest part of a write (an inter-processor interrupt; in a
 * VM, an exit to the host). Written back to back, the answers wake each client once. Measured on
 * `/escalations/evaluate` under a closed loop (16 connections, 2 cores): 112–122 µs of server CPU a
 * request instead of 128–159.
 *
 * Not setImmediate (the end of the event loop's turn), as before: an immediate queued while the
 * check phase runs (where detections finish) waits for the next turn, so every batch of answers cost
 * one more turn of the loop, with its epoll_wait, before it left. Alternating with that build:
 * 0.114 against 0.125 ms of API CPU a request, 8,270 against 7,550 req/s.
 */
export function writeAnswersTogether(app: FastifyInstance): void {
  let waiting: (() => void)[] = [];
  const writeAll = () => {
    const answers = waiting;
    waiting = [];
    for (const write of answers) write();
  };
  app.addHook('onSend', (_request, _reply, payload, done) => {
    if (waiting.length === 0) process.nextTick(writeAll);
    waiting.push(() => done(null, payload));
  });
}
