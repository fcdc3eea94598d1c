import { z } from 'zod';
import { localeTag } from '../sla/config-schema.ts';

export const CHANNELS = ['web_chat', 'email', 'sms', 'whatsapp', 'instagram', 'messenger', 'voice'] as const;
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
export const STATUSES = ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const;
export const TRIGGER_TYPES = [
  'LOW_CONFIDENCE',
  'NEGATIVE_SENTIMENT',
  'KEYWORD_MATCH',
  'MAX_TURNS_EXCEEDED',
  'MANUAL',
  'REPEATED_QUESTION',
  'RULE_MATCH',
] as const;
export const INTENTS = ['refund_return', 'delivery', 'damaged_item', 'billing', 'cancellation', 'account', 'legal', 'other'] as const;

const MAX_METADATA_BYTES = 16 * 1024;
const MAX_METADATA_DEPTH = 5;

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_METADATA_DEPTH || value === null || typeof value !== 'object') return depth;
  let max = depth;
  for (const v of Object.values(value)) max = Math.max(max, depthOf(v, depth + 1));
  return max;
}

const shortText = (max: number) => z.string().trim().max(max);

/** An ISO-8601 instant Postgres can store and compare (zod alone accepts year 0). */
export const isoInstant = z.iso.datetime({ offset: true }).refine((v) => {
  const year = new Date(v).getUTCFullYear();
  return year >= 1970 && year <= 9999;
}, 'must be a date between 1970 and 9999');

export const messageSchema = z.object({
  role: z.enum(['customer', 'assistant', 'agent', 'system']),
  text: z.string().max(20_000),
  sentAt: z.iso.datetime({ offset: true }).optional(),
});

/** POST /escalate and POST /escalations/evaluate (DESIGN §3). Every input is bounded. */
export const escalateBody = z.object({
  storeId: z.uuid().optional().describe('Required with the admin key; a store key acts for its own store'),
  conversationId: z.string().min(1).max(200),
  channel: z.enum(CHANNELS),
  messages: z.array(messageSchema).min(1).max(2000),
  aiConfidence: z.number().min(0).max(1).optional(),
  customerSentiment: z.number().min(-1).max(1).optional(),
  customer: z
    .object({
      id: shortText(200),
      name: shortText(200),
      email: shortText(320),
      phone: shortText(50),
      tier: shortText(50),
      profileId: shortText(200),
    })
    .partial()
    .strict()
    .optional(),
  order: z
    .object({
      number: shortText(100),
      total: z.number().min(0).max(1e12),
      currency: shortText(10),
      status: shortText(100),
    })
    .partial()
    .strict()
    .optional(),
  orderHistoryCount: z.number().int().min(0).max(1e9).optional(),
  detectedIntent: shortText(100).optional(),
  manual: z.boolean().optional(),
  reason: shortText(2000).optional(),
  metadata: z
    .record(z.string().max(200), z.unknown())
    // Depth first, and stop there: JSON.stringify of a deeply nested value overflows the stack.
    .refine((m) => depthOf(m) <= MAX_METADATA_DEPTH, { message: `must nest at most ${MAX_METADATA_DEPTH} levels deep`, abort: true })
    .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= MAX_METADATA_BYTES, `must be at most ${MAX_METADATA_BYTES} bytes as JSON`)
    .optional(),
  locale: localeTag.optional().describe('The conversation\'s language (BCP 47, e.g. "fr-CA"): picks the handoff message'),
});
export type EscalateBody = z.infer<typeof escalateBody>;

const triggerSchema = z.object({
  type: z.string(),
  value: z.unknown(),
  threshold: z.unknown(),
  reason: z.string(),
  messageIndexes: z.array(z.number()).optional(),
  rule: z.string().optional(),
});

export const decisionSchema = z.object({
  shouldEscalate: z.boolean(),
  priority: z.enum(PRIORITIES),
  triggers: z.array(triggerSchema),
  sentiment: z.number(),
  confidence: z.number().nullable(),
  intent: z.string(),
  keywords: z.array(z.string()),
  riskFlags: z.array(z.string()).optional(),
  summary: z.string().optional(),
  turns: z.number().optional(),
  suppressed: z.boolean().optional(),
  route: z.object({ integrations: z.array(z.string()).optional(), slackChannel: z.string().optional() }).optional(),
});

const slaSchema = z.object({
  firstResponseDueAt: z.string(),
  resolutionDueAt: z.string(),
  firstResponseBreached: z.boolean(),
  resolutionBreached: z.boolean(),
  // Issue #11: the store's business-hours zone (null: targets count wall-clock time) and the due times there.
  timeZone: z.string().nullable().optional(),
  firstResponseDueAtLocal: z.string().optional(),
  resolutionDueAtLocal: z.string().optional(),
});

const deliverySchema = z.object({
  id: z.string(),
  type: z.string(),
  status: z.string(),
  externalId: z.string().nullable(),
  externalUrl: z.string().nullable(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  updatedAt: z.string(),
});

const eventSchema = z.object({
  id: z.string(),
  type: z.string(),
  source: z.string(),
  actor: z.string().nullable(),
  data: z.unknown(),
  createdAt: z.string(),
});

export const caseSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  conversationId: z.string(),
  channel: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  triggers: z.array(z.string()),
  intent: z.string(),
  keywords: z.array(z.string()),
  summary: z.string(),
  reason: z.string().nullable(),
  sentiment: z.number(),
  aiConfidence: z.number().nullable(),
  customer: z.record(z.string(), z.unknown()),
  order: z.record(z.string(), z.unknown()),
  messageCount: z.number(),
  assignedTo: z.string().nullable(),
  assignedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolutionSummary: z.string().nullable(),
  closedAt: z.string().nullable(),
  sla: slaSchema,
  url: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  context: z.unknown().optional(),
  decision: decisionSchema.optional(),
  deliveries: z.array(deliverySchema).optional(),
  timeline: z.array(eventSchema).optional(),
});

const handoffSchema = z.object({
  message: z.string(),
  expectedFirstResponseAt: z.string(),
  expectedWait: z.object({ minutes: z.number(), basis: z.enum(['observed', 'sla']), sampleSize: z.number() }),
  withinBusinessHours: z.boolean(),
  nextOpenAt: z.string().nullable(),
  locale: z.string(),
  timeZone: z.string().nullable(),
});

export const escalateResponse = z.object({
  escalated: z.boolean(),
  deduplicated: z.boolean().optional(),
  escalation: caseSchema.optional(),
  decision: decisionSchema,
  handoff: handoffSchema.optional(),
});

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(500)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));

export const listQuery = z.object({
  storeId: z.uuid().optional(),
  status: csv(STATUSES).optional(),
  priority: csv(PRIORITIES).optional(),
  channel: csv(CHANNELS).optional(),
  trigger: csv(TRIGGER_TYPES).optional(),
  intent: csv(INTENTS).optional(),
  assignedTo: z.string().min(1).max(320).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const listResponse = z.object({ items: z.array(caseSchema), nextCursor: z.string().nullable() });
