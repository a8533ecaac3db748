import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError } from './body-too-large.error';

/** Reads the whole body; over `maxBytes` it drains the rest (so the answer is clean) and rejects. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
      }
    });
    request.on('end', () =>
      size > maxBytes ? reject(new BodyTooLargeError(maxBytes)) : resolve(Buffer.concat(chunks)),
    );
    request.on('error', reject);
  });
}

/** The parsed JSON body, or `INVALID_JSON`. */
export const INVALID_JSON = Symbol('invalid-json');

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendBytes(response: ServerResponse, status: number, contentType: string, body: Buffer): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': body.length });
  response.end(body);
}
