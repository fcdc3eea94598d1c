import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { DomainError } from '../cases/errors.ts';
import type { IntegrationDefinition, SettingsField } from '../integrations/definition.ts';
import { INTEGRATION_TYPES, integrations } from '../integrations/registry.ts';
import { runCheck, withDraft, type CheckedIntegration } from '../stores/integration-checks.ts';
import { assertWebhookUrlAllowed, escalationConfigInput, maskedConfig, splitConfig } from '../stores/escalation-config.ts';
import type { ApiKeyInfo, StoreRecord } from '../stores/store-directory.ts';
import { html, type SafeHtml } from './html.ts';

type Form = Record<string, string | undefined>;
type Page = (reply: FastifyReply, request: FastifyRequest, title: string, body: SafeHtml, status?: number) => Promise<FastifyReply>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The integrations the page has a form for: every definition with `settings` (from the registry). */
const INTEGRATIONS = Object.fromEntries(
  INTEGRATION_TYPES.flatMap((t) => {
    const d = integrations[t] as IntegrationDefinition;
    return d.settings ? [[d.key, d.settings]] : [];
  }),
) as Record<CheckedIntegration, { label: string; fields: SettingsField[] }>;

const isIntegration = (type: string): type is CheckedIntegration => Object.hasOwn(INTEGRATIONS, type);

/** The section a form describes; blank secrets are left out, so the saved ones are kept. */
function sectionFromForm(type: CheckedIntegration, form: Form): Record<string, unknown> {
  const section: Record<string, unknown> = { enabled: form.enabled === 'on' };
  const byPriority: Record<string, string> = {};
  for (const field of INTEGRATIONS[type].fields) {
    const value = (form[field.name] ?? '').trim();
    if (!value) continue;
    if (field.name.startsWith('channel_')) byPriority[field.name.slice('channel_'.length)] = value;
    else section[field.name] = value;
  }
  if (Object.keys(byPriority).length) section.channelsByPriority = byPriority;
  return section;
}

function message(err: unknown): string {
  if (err instanceof HttpError || err instanceof DomainError) return err.message;
  throw err;
}

function integrationForm(type: CheckedIntegration, shown: Record<string, unknown> | undefined): SafeHtml {
  const { label, fields } = INTEGRATIONS[type];
  const value = (name: string) =>
    (name.startsWith('channel_') ? (shown?.channelsByPriority as Record<string, unknown> | undefined)?.[name.slice(8)] : shown?.[name]) ?? '';
  return html`<section class="card" aria-labelledby="h-${type}"><h2 id="h-${type}">${label}</h2>
<form method="post" action="/dashboard/settings/integrations/${type}">
<p><label><input type="checkbox" name="enabled"${shown?.enabled ? html` checked` : ''}> Send cases to ${label}</label></p>
<dl class="kv">${fields.map((f) => {
    const id = `${type}-${f.name}`;
    const saved = f.secret ? value(f.name) : '';
    return f.secret
      ? html`<dt><label for="${id}">${f.label}</label></dt><dd><input id="${id}" name="${f.name}" type="password" autocomplete="off" value="" placeholder="${saved ? `${saved} (saved)` : (f.hint ?? '')}" style="width:100%"><br><span class="muted">${saved ? `Saved: ${saved}. Leave blank to keep it.` : 'Not set.'}</span></dd>`
      : html`<dt><label for="${id}">${f.label}</label></dt><dd><input id="${id}" name="${f.name}" type="${f.type ?? 'text'}" value="${String(value(f.name))}" placeholder="${f.hint ?? ''}" style="width:100%"></dd>`;
  })}</dl>
<p><button type="submit" name="action" value="save">Save</button> <button type="submit" name="action" value="test" class="secondary">Test</button>
<span class="muted">Test checks these values (saved or not) with a real call; nothing is created.</span></p>
</form></section>`;
}

/** A draft shows what was typed; its secret fields say what is saved, as always. */
function withSavedSecrets(draft: Record<string, unknown>, saved: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...draft };
  for (const name of ['botToken', 'apiToken', 'apiKey', 'webhookSecret', 'secret']) {
    if (saved?.[name]) out[name] = saved[name];
    else delete out[name];
  }
  return out;
}

function keysSection(keys: ApiKeyInfo[], newKey?: string): SafeHtml {
  const when = (d: Date | null) => (d ? `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '');
  return html`<section class="card" aria-labelledby="h-keys"><h2 id="h-keys">API keys</h2>
${newKey ? html`<div class="notice" role="status"><p><strong>New API key</strong> (shown this once: copy it now):</p><p><code>${newKey}</code></p></div>` : ''}
<table><thead><tr><th scope="col">Key</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col"></th></tr></thead><tbody>${keys.map(
    (k) =>
      html`<tr><td><code>${k.prefix}…</code></td><td>${when(k.createdAt)}</td><td>${k.revokedAt ? `Revoked ${when(k.revokedAt)}` : 'Active'}</td><td>${
        k.revokedAt
          ? ''
          : html`<form method="post" action="/dashboard/settings/api-keys/${k.id}/revoke" class="inline"><button type="submit" class="secondary" aria-label="Revoke key ${k.prefix}">Revoke</button></form>`
      }</td></tr>`,
  )}</tbody></table>
<form method="post" action="/dashboard/settings/api-keys"><p><button type="submit">Create key</button> <span class="muted">A revoked key is refused everywhere within a second.</span></p></form></section>`;
}

interface PageOptions {
  notice?: string;
  error?: string;
  newKey?: string;
  /** Values typed into one form (tested, or refused), shown instead of the saved ones; secrets never. */
  draft?: { type: CheckedIntegration; section: Record<string, unknown> };
}

function settingsPage(store: StoreRecord, keys: ApiKeyInfo[], opts: PageOptions): SafeHtml {
  const { secrets, ...config } = store.config;
  const shown = maskedConfig(config, secrets) as Record<string, Record<string, unknown> | undefined>;
  return html`<h1>Settings</h1>
${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}${opts.notice ? html`<p class="notice" role="status">${opts.notice}</p>` : ''}
<p class="muted">Store ${store.name} (${store.id})${store.sandbox ? ' · sandbox store: its helpdesk calls go to the local sandbox' : ''}. Secrets are write-only: they are shown masked and kept when left blank.</p>
${(Object.keys(INTEGRATIONS) as CheckedIntegration[]).map((type) => integrationForm(type, opts.draft?.type === type ? withSavedSecrets(opts.draft.section, shown[type]) : shown[type]))}
${keysSection(keys, opts.newKey)}`;
}

/** /dashboard/settings: the store's integrations (edit, test) and its API keys (create, revoke). Forms only, no JavaScript. */
export function settingsRoutes(app: FastifyInstance, ctx: AppContext, page: Page) {
  async function show(request: FastifyRequest, reply: FastifyReply, opts: PageOptions, status = 200) {
    const store = await ctx.stores.get(request.session!.storeId!);
    if (!store) return reply.redirect('/dashboard/stores');
    return page(reply, request, 'Settings', settingsPage(store, await ctx.stores.listKeys(store.id), opts), status);
  }
  const back = (reply: FastifyReply, outcome: { notice?: string; error?: string }) =>
    reply.redirect(`/dashboard/settings?${new URLSearchParams(outcome as Record<string, string>)}`, 303);

  app.get('/dashboard/settings', async (request, reply) => {
    const query = request.query as Form;
    return show(request, reply, { notice: query.notice?.slice(0, 1000), error: query.error?.slice(0, 1000) });
  });

  app.post('/dashboard/settings/integrations/:type', async (request, reply) => {
    const { type } = request.params as { type: string };
    if (!isIntegration(type)) return back(reply, { error: 'Unknown integration.' });
    const form = (request.body ?? {}) as Form;
    const store = await ctx.stores.get(request.session!.storeId!);
    if (!store) return reply.redirect('/dashboard/stores');
    const section = sectionFromForm(type, form);
    const { label } = INTEGRATIONS[type];
    // A test, or a refused save, shows the page again with the values as typed (a saved change redirects).
    const draft = { type, section };
    if (form.action === 'test') {
      try {
        const result = await runCheck(ctx.config, withDraft(store, type, section, ctx.config), type);
        return show(request, reply, {
          draft,
          ...(result.ok ? { notice: `${label} test passed: ${result.detail}` } : { error: `${label} test failed: ${result.error}` }),
        });
      } catch (err) {
        return show(request, reply, { draft, error: `${label}: ${message(err)}` }, 400);
      }
    }
    // Saved like PUT …/escalation-config with the other sections unchanged (their secrets kept).
    const { secrets, ...config } = store.config;
    const parsed = escalationConfigInput.safeParse({ ...config, [type]: section });
    if (!parsed.success)
      return show(
        request,
        reply,
        { draft, error: `${label} not saved: ${parsed.error.issues.map((i) => `${i.path.slice(1).join('.') || i.path.join('.')}: ${i.message}`).join('; ')}` },
        400,
      );
    try {
      assertWebhookUrlAllowed(parsed.data, ctx.config.webhookAllowPrivate);
      const split = splitConfig(parsed.data, secrets);
      await ctx.stores.saveConfig(store.id, split.config, split.secrets);
    } catch (err) {
      return show(request, reply, { draft, error: `${label} not saved: ${message(err)}` }, 400);
    }
    request.log.info({ storeId: store.id, integration: type }, 'integration settings saved from the dashboard');
    return back(reply, { notice: `${label} settings saved.` });
  });

  app.post('/dashboard/settings/api-keys', async (request, reply) => {
    const storeId = request.session!.storeId!;
    const created = await ctx.stores.createKey(storeId);
    request.log.info({ storeId, keyId: created.id, prefix: created.prefix }, 'api key created from the dashboard');
    // Rendered, not redirected: the key must not travel in a URL (history, logs).
    return show(request, reply, { newKey: created.apiKey }, 201);
  });

  app.post('/dashboard/settings/api-keys/:keyId/revoke', async (request, reply) => {
    const { keyId } = request.params as { keyId: string };
    const storeId = request.session!.storeId!;
    if (!UUID.test(keyId) || !(await ctx.stores.revokeKey(storeId, keyId))) return back(reply, { error: 'No such API key in this store.' });
    request.log.info({ storeId, keyId }, 'api key revoked from the dashboard');
    return back(reply, { notice: 'API key revoked: it is refused everywhere within a second.' });
  });
}
