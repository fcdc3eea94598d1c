import { describe, expect, it } from 'vitest';
import { Conflict, DomainError, Invalid, NotFound, Unprocessable } from '../../src/cases/errors.ts';
import { HttpError } from '../../src/http/errors.ts';
import { domainStatus } from '../../src/http/error-handler.ts';

describe('domain errors', () => {
  it('are mapped to HTTP in one place', () => {
    expect(domainStatus(new NotFound('Escalation x not found'))).toBe(404);
    expect(domainStatus(new Conflict('closed'))).toBe(409);
    expect(domainStatus(new Invalid('bad rule'))).toBe(400);
    expect(domainStatus(new Unprocessable('other body'))).toBe(422);
  });

  it('carry their message and details, and know nothing of HTTP', () => {
    const err = new Conflict('Cannot resolve escalation 1: it is CLOSED', { status: 'CLOSED' });
    expect(err).toBeInstanceOf(DomainError);
    expect(err).not.toBeInstanceOf(HttpError);
    expect(err.name).toBe('Conflict');
    expect(err.details).toEqual({ status: 'CLOSED' });
    expect('statusCode' in err).toBe(false);
  });
});
