import type { DestinationStream } from 'pino';

/** A pino destination that keeps the JSON lines, for tests. */
export interface LogCapture extends DestinationStream {
  readonly lines: string[];
  /** The lines parsed. */
  entries(): Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  return {
    lines,
    write: (line: string) => {
      lines.push(line);
    },
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
