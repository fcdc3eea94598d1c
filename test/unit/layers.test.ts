// The import graph of src/ (DESIGN §2, issue #14): no cycles at run time, adapters never reach up into
// routes or services, the domain knows no HTTP, and no helpdesk folder imports another's.
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, type Edge } from '../helpers/imports.ts';

const graph = importGraph();
const runtime = graph.filter((e) => !e.typeOnly);
const show = (edges: Edge[]) => edges.map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`);

/** The case model and the services: everything but routes, HTTP plumbing, the dashboard and the process entry points. */
const DOMAIN = /^(cases|escalations|stores|rules|sla|detection|integrations|analytics)\//;
const ROUTE_MODULES = /(^|\/)(routes|auth)\.ts$|-routes\.ts$/;

describe('imports in src/', () => {
  it('the scanner sees the graph (sanity)', () => {
    expect(graph.length).toBeGreaterThan(200);
    expect(graph).toContainEqual({ from: 'escalations/sync.ts', to: 'escalations/lifecycle.ts', typeOnly: true });
    expect(graph).toContainEqual({ from: 'http/inbound-routes.ts', to: 'integrations/registry.ts', typeOnly: false });
  });

  it('has no import cycle at run time', () => {
    expect(cycles(runtime).map((c) => c.join(' → '))).toEqual([]);
  });

  it('has type-level cycles only through the store config derived from the registry', () => {
    // StoreConfig's sections are typed from the registry's definitions, and adapters see StoreConfig:
    // that loop is in the types only (erased at run time) and is what makes a missing section a compile error.
    for (const cycle of cycles(graph)) {
      expect(cycle, cycle.join(' → ')).toContain('integrations/registry.ts');
      expect(cycle, cycle.join(' → ')).toContain('stores/escalation-config.ts');
    }
  });

  it('nothing under src/integrations/ imports src/escalations/', () => {
    expect(show(graph.filter((e) => e.from.startsWith('integrations/') && e.to.startsWith('escalations/')))).toEqual([]);
  });

  it('nothing in the domain imports src/http/', () => {
    const found = graph.filter((e) => DOMAIN.test(e.from) && !ROUTE_MODULES.test(e.from) && e.to.startsWith('http/'));
    expect(show(found)).toEqual([]);
  });

  it('the case model (src/cases/) imports neither services, routes nor adapters', () => {
    const found = graph.filter((e) => e.from.startsWith('cases/') && /^(escalations|integrations|http|delivery|stores)\//.test(e.to));
    expect(show(found)).toEqual([]);
  });

  it('a helpdesk folder imports nothing from another helpdesk folder', () => {
    const folder = (p: string) => /^integrations\/([^/]+)\//.exec(p)?.[1];
    const found = graph.filter((e) => folder(e.from) && folder(e.to) && folder(e.from) !== folder(e.to));
    expect(show(found)).toEqual([]);
  });

  it('no HttpError below the routes', () => {
    const found = graph.filter((e) => DOMAIN.test(e.from) && !ROUTE_MODULES.test(e.from) && e.to === 'http/errors.ts');
    expect(show(found)).toEqual([]);
  });
});
