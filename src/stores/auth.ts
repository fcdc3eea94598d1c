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
  const known = cachedPrincipal(request, adminKeyHash, stores);
  return known.principal ?? storePrincipal(await stores.storeIdForKeyHash(known.tokenHash));
}

function storePrincipal(storeId: string | null): Principal {
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

/**
 * The principal when it is known without a query (the admin key, or a store key in the directory's
 * cache); undefined when the directory must be asked. Throws 401 for a missing or unknown key.
 */
function cachedPrincipal(request: FastifyRequest, adminKeyHash: string, stores: StoreDirectory): { principal?: Principal; tokenHash: string } {
  const token = bearerToken(request);
  if (!token || token.length > 512) throw unauthorized();
  const tokenHash = hashApiKey(token);
  if (digestsEqual(tokenHash, adminKeyHash)) return { principal: { kind: 'admin' }, tokenHash };
  const storeId = stores.cachedStoreIdForKeyHash(tokenHash);
  if (storeId === null) throw unauthorized('Invalid API key');
  return { principal: storeId === undefined ? undefined : { kind: 'store', storeId }, tokenHash };
}

/** Every route of this plugin scope needs an API key (admin or store); checked before the body is read. */
export function requireApiKey(app: FastifyInstance, adminKey: string, stores: StoreDirectory) {
  const adminKeyHash = hashApiKey(adminKey);
  // A plain callback, answered at once from the key cache: almost every request is, and an async
  // hook would cost each of them a promise and a turn of the microtask queue.
  app.addHook('onRequest', (request, _reply, done) => {
    let known: ReturnType<typeof cachedPrincipal>;
    try {
      known = cachedPrincipal(request, adminKeyHash, stores);
    } catch (err) {
      return done(err as Error);
    }
    if (known.principal) {
      request.principal = known.principal;
      return done();
    }
    stores
      .storeIdForKeyHash(known.tokenHash)
      .then((storeId) => {
        request.principal = storePrincipal(storeId);
      })
      .then(() => done(), done);
  });
}
