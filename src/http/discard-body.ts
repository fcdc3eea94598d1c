import type { IncomingMessage } from 'node:http';

/** A client that announces a body and never sends it gets its answer anyway after this. */
const DISCARD_TIMEOUT_MS = 10_000;

/**
 * Reads and drops a request body nobody read (the request was refused before its body was parsed),
 * up to `limit` bytes. Answering first and closing the connection (`Connection: close`) while the
 * client is still writing makes it fail with EPIPE before it can read the answer.
 */
export function discardUnreadBody(raw: IncomingMessage, limit: number): Promise<void> {
  if (raw.readableEnded || raw.destroyed || raw.readableFlowing !== null) return Promise.resolve();
  const length = Number(raw.headers['content-length']);
  const chunked = raw.headers['transfer-encoding'] !== undefined;
  if (!(length > 0) && !chunked) return Promise.resolve();
  if (length > limit) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const timer = setTimeout(() => done(), DISCARD_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', done).off('error', done).off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) {
        raw.pause();
        done();
      }
    };
    raw.on('data', onData).once('end', done).once('error', done).once('close', done);
  });
}
