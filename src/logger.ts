/**
 * Structured logs (pino), one logger for the product; rooms take child loggers.
 */
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'province-e-comuni' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['*.password', '*.token', 'req.headers.authorization', 'req.headers.cookie'],
  });
}
