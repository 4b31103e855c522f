/**
 * Which platforms this process can send on (chat, and email when SMTP_URL is set). The Slack and Teams adapters construct their
 * ports (they own the SDK clients); `serve` passes them to startScheduler. With no platform
 * configured, the console is the port: messages are printed, nothing is lost.
 */
import type { Config } from '../config.js';
import type { Platform } from '../core/chat.js';

export function enabledPlatforms(config: Pick<Config, 'SLACK_MODE' | 'TEAMS_MODE'> & Partial<Pick<Config, 'SMTP_URL'>>): Platform[] {
  const platforms: Platform[] = [];
  if (config.SLACK_MODE !== 'off') platforms.push('slack');
  if (config.TEAMS_MODE === 'on') platforms.push('teams');
  if (config.SMTP_URL) platforms.push('email');
  return platforms.length ? platforms : ['console'];
}
