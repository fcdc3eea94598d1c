import { describe, expect, it } from 'vitest';
import { parseGorgiasWebhook, verifyGorgiasSecret } from '../../src/integrations/gorgias/inbound.ts';
import { gorgiasAccount, gorgiasConfig } from '../../src/integrations/gorgias/settings.ts';

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
    expect(verifyGorgiasSecret(request({ 'x-webhook-secret': 'anything' }), undefined)).toMatchObject({ ok: false, reason: expect.stringMatching(/webhookSecret/) });
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
    expect(parseGorgiasWebhook({ ticket_id: '1', status: 'closed', assignee_name: 'x'.repeat(321) })).toMatchObject({ ok: false, message: expect.stringMatching(/assignee_name/) });
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
