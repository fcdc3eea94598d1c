// String.length and .slice count UTF-16 units: an emoji is two (a surrogate pair). Cutting between the
// two leaves a lone surrogate, which Postgres refuses inside jsonb (the row, and the escalation, is lost).

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The first `max` UTF-16 units of `text` at most, never ending between the halves of a surrogate pair. */
export function head(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, Math.floor(max));
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

/** The last `max` UTF-16 units of `text` at most, never starting between the halves of a surrogate pair. */
export function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  let start = text.length - Math.max(0, Math.floor(max));
  if (start < text.length && isLowSurrogate(text.charCodeAt(start))) start++;
  return text.slice(start);
}

/** `text` with each lone surrogate replaced by U+FFFD (pairs are kept). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}
