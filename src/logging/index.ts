/**
 * The one logger type of the code base: the slice of pino's API every room uses (a pino
 * logger fits as it is). A leaf room: it imports nothing, so the engine, the database
 * room and the workers can all depend on it.
 */
export interface Logger {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  info(msg: string): void;
  warn(obj: object, msg?: string): void;
  warn(msg: string): void;
  error(obj: object, msg?: string): void;
  error(msg: string): void;
}

const nothing = () => undefined;

/** Drops everything (the default where no logger is given). */
export const silentLogger: Logger = { info: nothing, warn: nothing, error: nothing };

function line(a: unknown, b?: string): string {
  if (typeof a === 'string') return a;
  return b ? `${b} ${JSON.stringify(a)}` : JSON.stringify(a);
}

/** Plain console output, for command-line tools that run without pino. */
export const consoleLogger: Logger = {
  info: (a: unknown, b?: string) => console.log(line(a, b)),
  warn: (a: unknown, b?: string) => console.warn(line(a, b)),
  error: (a: unknown, b?: string) => console.error(line(a, b)),
};
