import { describe, expect, it } from 'vitest';
import { parseAnnouncement } from '../../src/delivery/relay.ts';

describe('parseAnnouncement', () => {
  it('groups a case’s delivery ids by helpdesk', () => {
    expect([...parseAnnouncement('SLACK:a1,ZENDESK:b2,FRESHDESK:c3,SLACK:d4')]).toEqual([
      ['SLACK', ['a1', 'd4']],
      ['ZENDESK', ['b2']],
      ['FRESHDESK', ['c3']],
    ]);
  });

  it('ids without a type (a service from before the lanes) go together to the untyped lane', () => {
    expect([...parseAnnouncement('a1,b2')]).toEqual([['', ['a1', 'b2']]]);
  });

  it('skips empty entries', () => {
    expect([...parseAnnouncement('SLACK:,,ZENDESK:b2')]).toEqual([['ZENDESK', ['b2']]]);
  });
});
