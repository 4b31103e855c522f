/**
 * Guards /api/messages before the Teams SDK sees a request. The SDK answers 500 to a body that
 * is not JSON or to an activity without the fields it reads (found by the hostile-input tests);
 * a malformed request is the sender's fault, so it gets a 4xx and a log line here instead.
 * Only the shape is checked; who sent it is still the SDK's JWT validation.
 */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../logging.js';
import { closeAfterAnswer, readBodyWithin } from '../common/http-body.js';

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
export const MAX_BODY_BYTES = 512 * 1024;

export function activityGuard(logger: Logger) {
  const refuse = (res: Response, status: number, reason: string) => {
    logger.warn({ status, reason }, 'teams: refused a malformed request');
    res.status(status).json({ error: reason });
  };
  return [
    // Read here, within the limit, rather than with express.json: body-parser drains a whole
    // oversized body before answering 413 (60 MB read to say "too large"). A body read here is
    // finished, so the SDK's own parser leaves req.body as set.
    async (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'POST') return next();
      const type = req.headers['content-type'] ?? '';
      if (!/^application\/(.+\+)?json\b/i.test(type)) return refuse(res, 415, 'Content-Type must be application/json');
      let read;
      try {
        read = await readBodyWithin(req, MAX_BODY_BYTES);
      } catch (e) {
        return next(e);
      }
      if ('tooLarge' in read) {
        closeAfterAnswer(req, res);
        return refuse(res, 413, `body larger than ${MAX_BODY}`);
      }
      try {
        const parsed: unknown = JSON.parse(read.body.toString('utf8'));
        // As body-parser's strict mode: an activity is an object (arrays fail the schema below).
        if (typeof parsed !== 'object' || parsed === null) return refuse(res, 400, 'body is not valid JSON');
        req.body = parsed;
      } catch {
        return refuse(res, 400, 'body is not valid JSON');
      }
      return next();
    },
    (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'POST') return next();
      const checked = Activity.safeParse(req.body);
      if (!checked.success) return refuse(res, 400, `not a Bot Framework activity: ${checked.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ')}`);
      return next();
    },
  ];
}
