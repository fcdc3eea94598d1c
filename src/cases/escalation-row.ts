import type { Escalation } from '../generated/prisma/client.ts';

// Prisma's DateTime columns are timestamp(3) without time zone holding UTC; to_jsonb renders them
// without a zone, so they are read back as UTC here.
const ESCALATION_DATES = [
  'assignedAt',
  'resolvedAt',
  'closedAt',
  'firstResponseDueAt',
  'resolutionDueAt',
  'firstResponseBreachedAt',
  'resolutionBreachedAt',
  'firstResponseWarnAt',
  'resolutionWarnAt',
  'firstResponseWarnedAt',
  'resolutionWarnedAt',
  'expectedFirstResponseAt',
  'createdAt',
  'updatedAt',
] as const;

/** Turns the named timestamp columns of a row read as jsonb into Dates (read as UTC). */
export function utcDates<T extends Record<string, unknown>>(row: T, fields: readonly string[]): T {
  for (const f of fields) {
    const v = row[f];
    if (typeof v === 'string') (row as Record<string, unknown>)[f] = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  }
  return row;
}

/** A case read with plain pg as `to_jsonb(e) - 'searchVector'`, in Prisma's shape. */
export function escalationFromJson(e: Record<string, unknown>): Escalation {
  return utcDates(e, ESCALATION_DATES) as unknown as Escalation;
}
