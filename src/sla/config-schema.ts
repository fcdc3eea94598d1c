// Store config sections of issue #11 (DESIGN §3): businessHours, handoffMessages, slaBreachActions.
// Validated on save; a bad value is a 400 whose message names the field.
import { z } from 'zod';
import { isValidTimeZone, WEEKDAYS } from './business-hours.ts';

const PRIORITIES = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'] as const;

const timeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a local time "HH:MM" between 00:00 and 24:00');
const timeRange = z
  .tuple([timeOfDay, timeOfDay])
  // Zero-padded "HH:MM" strings compare like the times they name.
  .refine(([start, end]) => start < end, 'must end after it starts (ranges do not cross midnight: end the day with "24:00")');

const dayRanges = z
  .array(timeRange)
  .max(12)
  .superRefine((ranges, ctx) => {
    const sorted = ranges.map((r, i) => ({ r, i })).sort((a, b) => (a.r[0] < b.r[0] ? -1 : 1));
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const cur = sorted[k]!;
      if (cur.r[0] < prev.r[1]) ctx.addIssue({ code: 'custom', path: [cur.i], message: `overlaps ${prev.r[0]}–${prev.r[1]}` });
    }
  });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'is not a calendar date');

export const businessHoursInput = z
  .object({
    timeZone: z.string().min(1).max(64).refine(isValidTimeZone, 'is not a known IANA time zone (e.g. "Europe/Paris")'),
    weekly: z
      .object(Object.fromEntries(WEEKDAYS.map((d) => [d, dayRanges.optional()])) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<typeof dayRanges>>)
      .strict()
      .refine((w) => Object.values(w).some((r) => r && r.length > 0), 'must open at least once a week'),
    holidays: z.array(isoDate).max(500).optional(),
  })
  .strict();

export const HANDOFF_PLACEHOLDERS = ['expectedWait', 'nextOpen', 'caseRef'] as const;

const template = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .superRefine((text, ctx) => {
    for (const [, name] of text.matchAll(/\{([^{}]*)\}/g))
      if (!(HANDOFF_PLACEHOLDERS as readonly string[]).includes(name!))
        ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name}}; use ${HANDOFF_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` });
  });

/** A BCP 47 tag as used by chat backends: "en", "fr-CA", "zh-Hant-TW". */
export const localeTag = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag like "en" or "fr-CA"');

/**
 * Per locale: `open` while the team is at work, `closed` outside business hours (and when it closes
 * before the expected reply).
 */
export const handoffMessagesInput = z.record(z.string().max(35), z.object({ open: template, closed: template }).partial().strict()).superRefine((r, ctx) => {
  const keys = Object.keys(r);
  if (keys.length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 locales' });
  for (const key of keys)
    if (!localeTag.safeParse(key).success) ctx.addIssue({ code: 'custom', path: [key], message: 'must be a language tag like "en" or "fr-CA"' });
});

/** "@oncall" (plain text), or Slack's mention syntax: <!subteam^S…>, <@U…>, <!here>, <!channel>. */
const mention = z
  .string()
  .trim()
  .max(120)
  .regex(
    /^@[a-z0-9][a-z0-9._-]{0,79}$|^<!subteam\^[A-Z0-9]{6,}(?:\|[^<>]{1,80})?>$|^<@[UW][A-Z0-9]{6,}>$|^<!(?:here|channel)>$/,
    'must be "@name", "<!subteam^ID>", "<@USERID>", "<!here>" or "<!channel>"',
  );

const slackChannel = z
  .string()
  .min(1)
  .max(80)
  .regex(/^#?[a-z0-9][a-z0-9._-]*$|^[CGD][A-Z0-9]{6,}$/, 'must be a channel name like #support or an ID like C0123ABCD');

export const slaBreachActionInput = z
  .object({
    priority: z.array(z.enum(PRIORITIES)).min(1).max(4).optional(),
    kind: z.enum(['firstResponse', 'resolution']).optional(),
    raisePriority: z.enum(PRIORITIES).optional(),
    slackChannel: slackChannel.optional(),
    mention: mention.optional(),
    assignTo: z.string().trim().min(1).max(320).optional(),
  })
  .strict()
  .refine((a) => a.raisePriority || a.slackChannel || a.mention || a.assignTo, 'must do something: raisePriority, slackChannel, mention or assignTo');

export const slaBreachActionsInput = z.array(slaBreachActionInput).max(20);

export type BusinessHoursInput = z.infer<typeof businessHoursInput>;
export type HandoffMessages = z.infer<typeof handoffMessagesInput>;
export type SlaBreachAction = z.infer<typeof slaBreachActionInput>;
