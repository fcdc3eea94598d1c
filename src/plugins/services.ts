// The services routes use, built once on top of the infrastructure plugin (fastify/demo's "app" plugins).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Lifecycle } from '../escalations/lifecycle.ts';
import { EscalationService } from '../escalations/service.ts';
import { TicketSync } from '../escalations/sync.ts';
import { StoreChangeFeed } from '../stores/change-feed.ts';
import { StoreDirectory } from '../stores/store-directory.ts';

declare module 'fastify' {
  interface FastifyInstance {
    stores: StoreDirectory;
    escalations: EscalationService;
    lifecycle: Lifecycle;
    /** Applies helpdesk ticket updates to cases (inbound webhooks). */
    sync: TicketSync;
  }
}

async function services(app: FastifyInstance) {
  // Keys and configs changed through any process reach this one's cache as they commit (change-feed.ts).
  const feed = app.config.storeChangeFeed === false ? undefined : new StoreChangeFeed(app.config.databaseUrl, app.log);
  feed?.start();
  const stores = new StoreDirectory(app.db, app.config.encryptionKey, undefined, app.sql, feed);
  const lifecycle = new Lifecycle(app.db, app.queues, app.log);
  app.decorate('stores', stores);
  app.decorate('lifecycle', lifecycle);
  const escalations = new EscalationService(app.db, app.sql, stores, app.queues, app.config.publicUrl, app.log, app.config.deliveryRelay ?? true);
  app.decorate('escalations', escalations);
  // Before the infrastructure's own onClose ends the pool (avvio runs onClose hooks last registered first).
  app.addHook('onClose', async () => {
    await escalations.close();
    await feed?.close();
  });
  app.decorate('sync', new TicketSync(app.db, lifecycle));
}

export default fp(services, { name: 'services', fastify: '5.x', dependencies: ['infrastructure'] });
