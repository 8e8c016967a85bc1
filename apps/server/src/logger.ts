import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON on stdout; human-readable when stdout is a terminal. */
export function createLogger(level: string): Logger {
  if (process.stdout.isTTY) {
    return pino({ level, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino({ level });
}
