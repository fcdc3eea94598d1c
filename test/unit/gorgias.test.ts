import { describe, expect, it } from 'vitest';
import { parseGorgiasWebhook, verifyGorgiasSecret } from '../../src/integrations/gorgias/inbound.ts';
import { gorgiasAccount, gorgiasConfig } from '../../src/integrations/gorgias/settings.ts';
import { gorgiasOrigin } from '../../src/integrations/gorgias/origin.ts';
import { gorgias } from '../../src/integrations/gorgias/definition.ts';
import { DeliveryError } from '../../src/integrations/types.ts';
import { loadConfig } from '../../src/config.ts';
import type { StoreRecord } from '../../src/stores/store-directory.ts';

const request = (headers: Record<string, string | undefined>) => ({ rawBody: '{}', headers });

describe('Gorgias webhook secret (X-Webhook-Secret)', () => {
  it('accepts the store secret', () => {
    expect(verifyGorgiasSecret(request({ 'x-webhook-secret': 'gorgias-secret' }), 'gorgias-secret')).toEqual({ ok: true });
  });

  it('refuses a wrong, longer, shorter or differently cased secret', () => {
    for (const offered of ['wrong', 'gorgias-secret ', 'gorgias-secre', 'GORGIAS-SECRET']) {
      expect(verifyGorgiasSecret(request({ 'x-webhook-secret': offered }), 'gorgias-secret')).toEqual({ ok: false, reason: 'Invalid Gorgias webhook secret' });
    }
  });

  it('refuses a missing header, and every request when the store has no secret', () => {
    expect(verifyGorgiasSecret(request({}), 'gorgias-secret')).toMatchObject({ ok: false, reason: expect.stringMatching(/Missing/) });
    expect(verifyGorgiasSecret(request({ 'x-webhook-secret': '' }), 'gorgias-secret')).toMatchObject({ ok: false, reason: expect.stringMatching(/Missing/) });
    expect(verifyGorgiasSecret(request({ 'x-webhook-secret': 'anything' }), undefined)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/webhookSecret/),
    });
    // An Authorization header is not where Gorgias sends it.
    const basic = `Basic ${Buffer.from('x:gorgias-secret').toString('base64')}`;
    expect(verifyGorgiasSecret(request({ authorization: basic }), 'gorgias-secret')).toMatchObject({ ok: false });
  });
});

describe('Gorgias webhook body', () => {
  it('maps closed to a resolution and open to open, in any case, with the assignee', () => {
    expect(parseGorgiasWebhook({ ticket_id: '42', status: 'closed', assignee_name: 'Gina', assignee_email: 'gina@acme.test' })).toEqual({
      ok: true,
      value: { ticketId: '42', rawStatus: 'closed', state: 'solved', assigneeName: 'Gina', assigneeEmail: 'gina@acme.test' },
    });
    expect(parseGorgiasWebhook({ ticket_id: 42, status: 'Open', assignee_name: '', assignee_email: '' })).toEqual({
      ok: true,
      value: { ticketId: '42', rawStatus: 'Open', state: 'open', assigneeName: null, assigneeEmail: null },
    });
  });

  it('keeps a status it does not know as unmapped (the case is left alone)', () => {
    expect(parseGorgiasWebhook({ ticket_id: '7', status: 'snoozed' })).toMatchObject({ ok: true, value: { state: null, rawStatus: 'snoozed' } });
  });

  it('names what is wrong with a malformed body', () => {
    expect(parseGorgiasWebhook({ status: 'closed' })).toMatchObject({ ok: false, message: expect.stringMatching(/body\.ticket_id/) });
    expect(parseGorgiasWebhook({ ticket_id: 'abc', status: 'closed' })).toMatchObject({ ok: false, message: expect.stringMatching(/ticket number/) });
    expect(parseGorgiasWebhook({ ticket_id: '1', status: '' })).toMatchObject({ ok: false, message: expect.stringMatching(/body\.status/) });
    expect(parseGorgiasWebhook('closed')).toMatchObject({ ok: false });
    expect(parseGorgiasWebhook({ ticket_id: '1', status: 'closed', assignee_name: 'x'.repeat(321) })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/assignee_name/),
    });
  });
});

describe('Gorgias store config', () => {
  it('takes an account name (or its gorgias.com host), never another host or a URL', () => {
    expect(gorgiasAccount.parse('Acme')).toBe('acme');
    expect(gorgiasAccount.parse('acme.gorgias.com')).toBe('acme');
    for (const bad of ['https://acme.gorgias.com', 'acme.evil.com', 'acme.gorgias.com.evil.com', '127.0.0.1', 'acme/../x', '', '-acme', 'a@b']) {
      expect(gorgiasAccount.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('is strict: enabled, account, email, and the two secrets', () => {
    const ok = { enabled: true, account: 'acme', email: 'agent@acme.test', apiKey: 'k', webhookSecret: 's' };
    expect(gorgiasConfig.parse(ok)).toEqual(ok);
    expect(gorgiasConfig.safeParse({ ...ok, baseUrl: 'http://169.254.169.254' }).success).toBe(false);
    expect(gorgiasConfig.safeParse({ ...ok, email: 'not-an-email' }).success).toBe(false);
    expect(gorgiasConfig.safeParse({ enabled: true, account: 'acme' }).success).toBe(false);
  });
});

describe("where a store's Gorgias calls go (GORGIAS_API_URL, sandbox store, real account)", () => {
  const base = { ADMIN_API_KEY: 'admin-key-long-enough', ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
  const store = (sandbox: boolean, account?: string): StoreRecord => ({
    id: sandbox ? 'sandbox-store' : 'real-store',
    name: 'x',
    sandbox,
    updatedAt: new Date(),
    config: { gorgias: account ? { enabled: true, account, email: 'a@acme.test' } : undefined, secrets: {} } as StoreRecord['config'],
  });

  it('a real store calls https://{account}.gorgias.com; a sandbox store the sandbox; the override redirects both', () => {
    const plain = loadConfig(base);
    expect(gorgiasOrigin({ config: plain, store: store(false, 'acme') })).toBe('https://acme.gorgias.com');
    const withSandbox = loadConfig({ ...base, SANDBOX: 'on', SANDBOX_PORT: '4555' });
    expect(gorgiasOrigin({ config: withSandbox, store: store(true, 'acme') })).toBe('http://127.0.0.1:4555/gorgias');
    expect(gorgiasOrigin({ config: withSandbox, store: store(false, 'acme') })).toBe('https://acme.gorgias.com');
    const overridden = loadConfig({ ...base, GORGIAS_API_URL: 'http://127.0.0.1:4010/gorgias/' });
    expect(gorgiasOrigin({ config: overridden, store: store(false, 'acme') })).toBe('http://127.0.0.1:4010/gorgias');
    expect(gorgiasOrigin({ config: overridden, store: store(true, 'acme') })).toBe('http://127.0.0.1:4010/gorgias');
  });

  it('a store without an account fails for good, override or not', () => {
    const overridden = loadConfig({ ...base, GORGIAS_API_URL: 'http://127.0.0.1:4010/gorgias' });
    expect(() => gorgiasOrigin({ config: overridden, store: store(false) })).toThrow(DeliveryError);
    expect(() => gorgiasOrigin({ config: overridden, store: store(false) })).toThrow(expect.objectContaining({ permanent: true }));
  });

  it('the demo store section is a valid Gorgias section', () => {
    expect(gorgiasConfig.parse(gorgias.demo)).toMatchObject({ enabled: true, account: 'demo' });
  });
});
