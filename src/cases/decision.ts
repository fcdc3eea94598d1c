import type { Decision } from '../detection/index.ts';

/** The detector's decision with what the store's rules added (stored on the case as `decision`). */
export interface FullDecision extends Decision {
  suppressed?: boolean;
  route?: { integrations?: string[]; slackChannel?: string };
}
