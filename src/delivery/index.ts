/** Delivery: the outbox, the dispatcher, and the ports that need no chat platform. */
export { Dispatcher, RECOVERED_PREFIX, type DeliveryEvent, type DispatcherOptions, type DispatchReport } from './dispatcher.js';
export { writeOutbox, existingKeys, choosePlatform, resolveAddress, encodePayload, decodePayload, type OutboxPayload, type WriteReport } from './outbox.js';
export { MemoryChatPort, type MemoryPortOptions, type SentRecord } from './memory-port.js';
export { ConsoleChatPort } from './console-port.js';
export { renderText, renderCard } from './render-text.js';
