/**
 * A ChatPort that prints each message as readable text: `bragbot nudges run` with no chat
 * platform configured, and demos. Messages addressed to a person show their name.
 */
import { randomUUID } from 'node:crypto';
import type { ChatAddress, ChatPort, OutboundMessage, SendContext, SendResult } from '../core/chat.js';
import { renderText } from './render-text.js';

export class ConsoleChatPort implements ChatPort {
  readonly platform = 'console' as const;
  private count = 0;
  /** Distinguishes this port's message ids from another process's (a CLI run beside serve). */
  private readonly id = randomUUID().slice(0, 8);

  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {}

  async send(to: ChatAddress, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    this.count += 1;
    const where = to.threadId ? `${to.conversationId} (thread ${to.threadId})` : to.conversationId;
    const key = context ? ` [${context.idempotencyKey}]` : '';
    this.write(`── to ${where}${key}\n${renderText(message)}\n\n`);
    return { providerMessageId: `console-${this.id}-${this.count}`, conversationId: to.conversationId };
  }
}
