/**
 * Which chat platforms this process can send on. The Slack and Teams adapters construct their
 * ports (they own the SDK clients); `serve` passes them to startScheduler. With no platform
 * configured, the console is the port: messages are printed, nothing is lost.
 */
import type { Config } from '../config.js';
import type { Platform } from '../core/chat.js';

export function enabledPlatforms(config: Pick<Config, 'SLACK_MODE' | 'TEAMS_MODE'>): Platform[] {
  const platforms: Platform[] = [];
  if (config.SLACK_MODE !== 'off') platforms.push('slack');
  if (config.TEAMS_MODE === 'on') platforms.push('teams');
  return platforms.length ? platforms : ['console'];
}
