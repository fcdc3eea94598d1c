// Field schemas the integrations' store-config sections share.
import { z } from 'zod';

/** What a GET shows for a stored secret; PUT back unchanged, it keeps the stored secret. */
export const MASKED = /^\*{4}[^*]{0,4}$/;
export const isMasked = (v: unknown) => typeof v === 'string' && MASKED.test(v);

/** A secret field: a new value (checked against `pattern` when given) or the mask of the stored one. */
export const secretValue = (pattern?: RegExp, message?: string) =>
  z
    .string()
    .min(1)
    .max(1000)
    .refine((v) => !pattern || isMasked(v) || pattern.test(v), message);
