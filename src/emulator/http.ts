/**
 * HTTP plumbing of the emulator: reading request bodies, decoding the three encodings the Web API accepts
 * (form, JSON, multipart) and writing answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiResponse, Args } from './types';

/** Arguments that Slack clients send as JSON strings inside form or multipart bodies. */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'files',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
]);

/** A file part of a multipart body. */
export interface UploadedPart {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A request body decoded into arguments. */
export interface DecodedBody {
  args: Args;
  parts: UploadedPart[];
}

/** Raised when a body cannot be decoded; `code` is the Slack error to answer with. */
export class BodyError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** Reads a whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses JSON-string fields (`blocks`, `view`, …) in place; undecodable values stay strings. */
function decodeJsonFields(args: Args): Args {
  for (const [key, value] of Object.entries(args)) {
    if (!JSON_FIELDS.has(key) || typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Left as a string: the method answers invalid_blocks_format / invalid_arguments.
    }
  }
  return args;
}

function headerParam(header: string, name: string): string | undefined {
  const match = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(header);
  return match?.[1];
}

/** Splits a multipart/form-data body into text fields and file parts. */
export function parseMultipart(body: Buffer, boundary: string): { fields: Args; parts: UploadedPart[] } {
  const fields: Args = {};
  const parts: UploadedPart[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const field = headerParam(disposition, 'name') ?? '';
      const filename = /filename=/i.test(disposition)
        ? (headerParam(disposition, 'filename') ?? '')
        : undefined;
      if (filename === undefined) {
        fields[field] = content.toString('utf8');
      } else {
        const contentType =
          /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
        parts.push({ field, filename, contentType, data: Buffer.from(content) });
      }
    }
    start = next;
  }
  return { fields, parts };
}

/**
 * Decodes a Web API request body according to its content type; query-string arguments are merged under
 * the body's.
 */
export function decodeBody(contentType: string, body: Buffer, query: URLSearchParams): DecodedBody {
  const args: Args = Object.fromEntries(query.entries());
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length === 0) return { args: decodeJsonFields(args), parts: [] };
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new BodyError('invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new BodyError('json_not_object');
    return { args: decodeJsonFields({ ...args, ...(parsed as Args) }), parts: [] };
  }
  if (type === 'multipart/form-data') {
    const boundary = headerParam(contentType, 'boundary');
    if (!boundary) throw new BodyError('invalid_form_data');
    const { fields, parts } = parseMultipart(body, boundary);
    const fileArgs: Args = {};
    for (const part of parts) {
      fileArgs[part.field] = {
        filename: part.filename,
        contentType: part.contentType,
        size: part.data.length,
      };
    }
    return { args: decodeJsonFields({ ...args, ...fields, ...fileArgs }), parts };
  }
  // application/x-www-form-urlencoded, and Slack's lenient default for anything else.
  const form = new URLSearchParams(body.toString('utf8'));
  return { args: decodeJsonFields({ ...args, ...Object.fromEntries(form.entries()) }), parts: [] };
}

/** Token from `Authorization: Bearer …`, else from the `token` argument. */
export function tokenOf(req: IncomingMessage, args: Args): string | undefined {
  const auth = req.headers.authorization;
  const bearer = auth ? /^Bearer\s+(\S+)/i.exec(auth)?.[1] : undefined;
  if (bearer) return bearer;
  return typeof args.token === 'string' && args.token.length > 0 ? args.token : undefined;
}

/** Sends a JSON answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: ApiResponse,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends a plain-text answer. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
