import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'rk_live_';

/** Store keys are 256-bit random, so a fast hash is as safe as a slow one and keeps auth cheap. */
export function hashApiKey(key: string): string {
  // The one-shot hash: a sixth of the time of a Hash object for a key this short.
  return hash('sha256', key, 'hex');
}

export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, PREFIX.length + 6) };
}

export function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(hash('sha256', a, 'buffer'), hash('sha256', b, 'buffer'));
}

/** Whether two hex digests of the same length are equal, in a time that does not depend on where they differ. */
export function digestsEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}
