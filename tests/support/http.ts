/** Raw HTTP for transport tests: what a client sees while it is still uploading. */
import { request } from 'node:http';

export /** Sends headers and then `chunks` one by one; resolves with the status as soon as the server answers, and how much was sent by then. */
function streamPost(url: string, o: { headers: Record<string, string>; chunk: Buffer; chunks: number }): Promise<{ status: number; sentBytes: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let finished = false;
    const req = request(url, { method: 'POST', headers: o.headers });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, sentBytes: sent, finished });
      req.destroy();
    });
    req.on('error', reject);
    let i = 0;
    const next = () => {
      if (req.destroyed) return;
      if (i >= o.chunks) {
        finished = true;
        req.end();
        return;
      }
      i += 1;
      sent += o.chunk.length;
      // Pace the upload so the server's answer can overtake it.
      req.write(o.chunk, () => setTimeout(next, 2));
    };
    next();
  });
}
