/**
 * Request bodies read within a limit, for both chat endpoints (/slack/events, /api/messages):
 * an oversized body is refused before it is read whole, whatever its Content-Length says.
 * Transport only; imports no chat SDK.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long a refused oversized upload may keep sending (discarded) before its connection is closed. */
const LINGER_MS = 1000;

export type BodyRead = { body: Buffer } | { tooLarge: true; bytes: number };

/**
 * Reads a request body, stopping as soon as it is larger than `limit`: a declared
 * Content-Length over the limit is refused before a byte is read; a chunked or lying body is
 * counted as it streams and abandoned the moment it passes the limit.
 */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ tooLarge: true, bytes: declared });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) {
        cleanup();
        req.pause();
        resolve({ tooLarge: true, bytes });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ body: Buffer.concat(chunks, bytes) });
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * For a refused upload: the rest is never buffered. After the answer, the connection lingers for
 * a moment, discarding what is still arriving, so the client can read the answer (closing at
 * once makes its next write fail with a reset before it sees it); then it is closed.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
  res.on('finish', () => {
    const close = setTimeout(() => req.destroy(), LINGER_MS);
    close.unref();
    req.once('close', () => clearTimeout(close));
    req.resume();
  });
}
