import { badRequest, GraphError, type AppContext } from './graph-error.js';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export function tooLarge(limit: number): GraphError {
  return new GraphError(413, 'RequestEntityTooLarge', `The request body is larger than ${limit} bytes`);
}

/** 413 at once when the declared Content-Length is over the limit (before auth, before reading). */
export function declaredLengthProblem(header: string | undefined, limit: number): GraphError | null {
  if (header === undefined) return null;
  if (!/^\d+$/.test(header.trim())) return badRequest('The Content-Length header is not a number');
  return Number(header) > limit ? tooLarge(limit) : null;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The request body as UTF-8 text ('' when there is none), counting actual bytes against the limit. */
export async function readBodyText(c: AppContext, limit: number): Promise<string> {
  const stream = c.req.raw.body;
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let result: Awaited<ReturnType<typeof reader.read>>;
    try {
      result = await reader.read();
    } catch {
      throw badRequest('The request body could not be read');
    }
    if (result.done) break;
    size += result.value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(result.value);
  }
  if (size === 0) return '';
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  try {
    return decoder.decode(bytes);
  } catch {
    throw badRequest('The request body is not valid UTF-8');
  }
}

function mediaType(c: AppContext): string | null {
  const header = c.req.header('content-type');
  if (header === undefined) return null;
  return header.split(';')[0]!.trim().toLowerCase();
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * The JSON object in the body. `undefined` when the body is empty and `required` is false.
 * 413 over the limit, 415 for a body that is not declared JSON, 400 for malformed JSON or a non-object.
 */
export async function readJsonObject(c: AppContext, limit: number, required: boolean): Promise<Record<string, unknown> | undefined> {
  const type = mediaType(c);
  if (type !== null && type !== '' && !isJsonType(type)) {
    // Read (and size-check) first so that an oversized body is still a 413.
    const text = await readBodyText(c, limit);
    if (text.length > 0) throw new GraphError(415, 'UnsupportedMediaType', `Content-Type '${type}' is not supported: send application/json`);
    if (required) throw badRequest('A JSON request body is required');
    return undefined;
  }
  const text = await readBodyText(c, limit);
  if (text.trim() === '') {
    if (required) throw badRequest('A JSON request body is required');
    return undefined;
  }
  if (type === null || type === '') throw new GraphError(415, 'UnsupportedMediaType', 'A request body needs Content-Type: application/json');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('The request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** 400 naming the first field that is not in `allowed`. */
export function rejectUnknownFields(body: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw badRequest(`Unknown field '${key}' in ${what}; allowed fields: ${allowed.length ? allowed.join(', ') : 'none'}`);
    }
  }
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`Field '${key}' must be a boolean (true or false)`);
  return value;
}

export function optionalString(body: Record<string, unknown>, key: string, maxLength = 256): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`Field '${key}' must be a string`);
  if (value.length > maxLength) throw badRequest(`Field '${key}' is longer than ${maxLength} characters`);
  return value;
}

export function optionalEnum<T extends string>(body: Record<string, unknown>, key: string, values: readonly T[]): T | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw badRequest(`Field '${key}' must be one of ${values.map((v) => `'${v}'`).join(', ')}`);
  }
  return value as T;
}
