/** Structured one-line logs. Never pass secrets, tokens or message texts in `fields`. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, error?: unknown, fields?: Record<string, unknown>): void;
}

export function createLogger(options: { quiet?: boolean } = {}): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) =>
    `${new Date().toISOString()} ${level} ${message}${fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`;
  return {
    info: (message, fields) => {
      if (!options.quiet) console.log(line('INFO', message, fields));
    },
    warn: (message, fields) => console.warn(line('WARN', message, fields)),
    error: (message, error, fields) => {
      console.error(line('ERROR', message, fields));
      if (error) console.error(error);
    },
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
