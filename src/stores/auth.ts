import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, forbidden, unauthorized } from '../http/errors.ts';
import { digestsEqual, hashApiKey } from './api-keys.ts';
import type { StoreDirectory } from './store-directory.ts';

export type Principal = { kind: 'admin' } | { kind: 'store'; storeId: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** One hash of the token serves both the admin comparison and the store key lookup (by hash). */
export async function authenticate(request: FastifyRequest, adminKeyHash: string, stores: StoreDirectory): Promise<Principal> {
  const token = bearerToken(request);
  if (!token || token.length > 512) throw unauthorized();
  const tokenHash = hashApiKey(token);
  if (digestsEqual(tokenHash, adminKeyHash)) return { kind: 'admin' };
  const storeId = await stores.storeIdForKeyHash(tokenHash);
  if (!storeId) throw unauthorized('Invalid API key');
  return { kind: 'store', storeId };
}

export function requireAdmin(principal: Principal) {
  if (principal.kind !== 'admin') throw forbidden('This route needs the admin API key');
}

/**
 * The store a request acts for. A store key acts for its own store only; the admin key must name one
 * (in the path, the body or the storeId query parameter).
 */
export function actingStoreId(principal: Principal, requested: string | undefined): string {
  if (principal.kind === 'store') {
    if (requested && requested !== principal.storeId) throw forbidden('This API key belongs to another store');
    return principal.storeId;
  }
  // A missing parameter, not a missing permission: the admin may act for any store it names.
  if (!requested) throw badRequest('storeId: required with the admin key, to name the store to act for');
  return requested;
}

/** Every route of this plugin scope needs an API key (admin or store); checked before the body is read. */
export function requireApiKey(app: FastifyInstance, adminKey: string, stores: StoreDirectory) {
  const adminKeyHash = hashApiKey(adminKey);
  app.addHook('onRequest', async (request) => {
    request.principal = await authenticate(request, adminKeyHash, stores);
  });
}
