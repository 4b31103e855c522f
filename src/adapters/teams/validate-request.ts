/**
 * Guards /api/messages before the Teams SDK sees a request. The SDK answers 500 to a body that
 * is not JSON or to an activity without the fields it reads (found by the hostile-input tests);
 * a malformed request is the sender's fault, so it gets a 4xx and a log line here instead.
 * Only the shape is checked; who sent it is still the SDK's JWT validation.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../logging.js';

const Activity = z
  .object({
    type: z.string().min(1),
    serviceUrl: z.string().optional(),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
    from: z.object({ id: z.string().min(1) }).passthrough(),
  })
  .passthrough()
  .superRefine((a, ctx) => {
    // Edits and deletions of channel messages carry what happened in channelData.
    if ((a.type === 'messageUpdate' || a.type === 'messageDelete') && (typeof a.channelData !== 'object' || a.channelData === null)) {
      ctx.addIssue({ code: 'custom', path: ['channelData'], message: `a ${a.type} activity needs channelData` });
    }
    if (a.type === 'invoke' && typeof a.name !== 'string') ctx.addIssue({ code: 'custom', path: ['name'], message: 'an invoke activity needs a name' });
  });

/** Largest activity we accept: cards and replies are a few KB; Teams' own limit is ~100 KB. */
export const MAX_BODY = '512kb';

export function activityGuard(logger: Logger) {
  const refuse = (res: Response, status: number, reason: string) => {
    logger.warn({ status, reason }, 'teams: refused a malformed request');
    res.status(status).json({ error: reason });
  };
  const parse = express.json({ limit: MAX_BODY, type: () => true });
  return [
    (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'POST') return next();
      const type = req.headers['content-type'] ?? '';
      if (!/^application\/(.+\+)?json\b/i.test(type)) return refuse(res, 415, 'Content-Type must be application/json');
      return parse(req, res, next);
    },
    (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      const e = err as { type?: string; status?: number };
      if (e?.type === 'entity.too.large') return refuse(res, 413, `body larger than ${MAX_BODY}`);
      if (e?.type === 'entity.parse.failed' || (e?.status !== undefined && e.status >= 400 && e.status < 500)) return refuse(res, 400, 'body is not valid JSON');
      return next(err);
    },
    (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'POST') return next();
      const checked = Activity.safeParse(req.body);
      if (!checked.success) return refuse(res, 400, `not a Bot Framework activity: ${checked.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ')}`);
      return next();
    },
  ];
}
