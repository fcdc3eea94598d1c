import { createRequire } from 'node:module';
import pino, { type Logger, type LoggerOptions } from 'pino';

/** Never written to a log line: API keys, cookies, helpdesk secrets. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-webhook-secret"]',
  'req.headers.cookie',
  '*.apiToken',
  '*.apiKey',
  '*.botToken',
  '*.webhookSecret',
  '*.secret',
];

/** pino-pretty is optional: used when installed and stdout is a terminal, JSON lines otherwise. */
function prettyTransport(): LoggerOptions['transport'] | undefined {
  if (!process.stdout.isTTY) return undefined;
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } };
}

/** The options of every logger of the service (the API's, the workers', the start-up lines). */
export function loggerOptions(level: string): LoggerOptions {
  const transport = prettyTransport();
  return { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, ...(transport ? { transport } : {}) };
}

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
