import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const COOKIE = 'reva_session';
const TTL_SECONDS = 12 * 3600;

export interface Session {
  kind: 'admin' | 'store';
  /** The store the dashboard shows; the admin picks one. */
  storeId: string | null;
  /** The store key signed in with: revoking it ends the session. */
  keyId?: string;
  expires: number;
}

/**
 * A signed, stateless session (HMAC keyed from ENCRYPTION_KEY) so any API process can read it; the
 * API key itself never goes into the cookie.
 */
export class SessionCodec {
  private readonly key: Buffer;

  constructor(encryptionKey: Buffer) {
    this.key = createHmac('sha256', encryptionKey).update('dashboard-session-v1').digest();
  }

  encode(session: Omit<Session, 'expires'>): string {
    const body = Buffer.from(JSON.stringify({ ...session, expires: Math.floor(Date.now() / 1000) + TTL_SECONDS })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(value: string | undefined): Session | null {
    if (!value) return null;
    const [body, sig] = value.split('.');
    if (!body || !sig) return null;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const session = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Session;
      return session.expires > Date.now() / 1000 ? session : null;
    } catch {
      return null;
    }
  }

  private sign(body: string) {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string | null) {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  const cookie = value
    ? `${COOKIE}=${encodeURIComponent(value)}; Path=/dashboard; HttpOnly; SameSite=Lax; Max-Age=${TTL_SECONDS}${secure}`
    : `${COOKIE}=; Path=/dashboard; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
  reply.header('set-cookie', cookie);
}

/** Only paths inside the dashboard are followed after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/dashboard([/?][\w\-./?=&%+,:]*)?$/.test(next) && !next.includes('//') ? next : '/dashboard';
}
