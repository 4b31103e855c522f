/** The shared text helpers live in the core now (the interaction sentences use them too). */
export { bragPlain, clamp, londonDay, londonTime, oneLine, plural, ukDate } from '../../core/text.js';
