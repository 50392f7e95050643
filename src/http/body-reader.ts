import type { Next, Request, Response } from 'restify';

/** What a request body may be, and how long reading it may take. */
export interface BodyPolicy {
  /** Largest accepted body; checked against Content-Length before reading and while reading. */
  readonly maxBytes: number;
  /** The whole body must arrive within this time: a client trickling bytes cannot hold a socket for minutes. */
  readonly timeoutMs: number;
  /** Paths that also accept `application/x-www-form-urlencoded` (Slack posts commands and interactions so). */
  readonly formPaths: ReadonlySet<string>;
}

/** A request after the reader: the raw text (Slack signs it) and the parsed body. */
export type ReadRequest = Request & { rawBody?: string };

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Reads request bodies in memory, JSON everywhere and form encoding only where allowed. Anything else (multipart
 * uploads, text) is refused with 415 before a byte is read, so nothing is ever written to a temporary folder;
 * bodies over the limit get 413 (from Content-Length when given, else when the limit is crossed), slow ones 408.
 * Error answers are fixed texts: nothing of the request is echoed.
 */
export function bodyReader(policy: BodyPolicy) {
  return (req: Request, res: Response, next: Next) => {
    if (!BODY_METHODS.has(req.method ?? '')) return next();
    const declared = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (!chunked && (declared === undefined || Number(declared) === 0)) {
      (req as ReadRequest).rawBody = '';
      return next();
    }
    const type = mediaType(req.headers['content-type']);
    const form = type === 'application/x-www-form-urlencoded' && policy.formPaths.has(req.path());
    if (!isJson(type) && !form) return refuse(res, 415, 'UnsupportedMediaType', next);
    if (Number(declared) > policy.maxBytes) return refuse(res, 413, 'PayloadTooLarge', next);

    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      fn();
    };
    const timer = setTimeout(() => finish(() => refuse(res, 408, 'RequestTimeout', next)), policy.timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > policy.maxBytes) finish(() => refuse(res, 413, 'PayloadTooLarge', next));
      else chunks.push(chunk);
    };
    const onError = () => finish(() => next(false));
    const onEnd = () =>
      finish(() => {
        const raw = Buffer.concat(chunks).toString('utf8');
        (req as ReadRequest).rawBody = raw;
        try {
          req.body = form ? Object.fromEntries(new URLSearchParams(raw)) : raw ? JSON.parse(raw) : undefined;
        } catch {
          // JSON.parse messages quote the input: answer with a fixed text instead.
          return refuse(res, 400, 'BadRequest', next);
        }
        next();
      });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  };
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function isJson(type: string): boolean {
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

const MESSAGES: Record<number, string> = {
  400: 'Malformed request body',
  408: 'The request body took too long',
  413: 'Request body too large',
  415: 'Expected application/json',
};

/**
 * Answers with `Connection: close`: Node closes the socket once the answer is out, so a client cannot keep it
 * busy by sending the rest of an unread (or half-read) body.
 */
function refuse(res: Response, status: number, code: string, next: Next): void {
  res.setHeader('connection', 'close');
  res.json(status, { code, message: MESSAGES[status] ?? 'Bad request' });
  next(false);
}
