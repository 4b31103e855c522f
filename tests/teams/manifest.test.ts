/**
 * The Teams app package: the manifest validates offline against the schema bundled in
 * @microsoft/app-manifest, lists the commands the code answers, asks for the RSC permission
 * the update threads rely on, and ships icons Teams accepts; the package script zips it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/adapters/teams/handlers/commands.js';
import { TEAMS_CHANNEL_COMMANDS, TEAMS_COMMANDS, TEAMS_RSC_PERMISSIONS } from '../../src/adapters/teams/ids.js';
import { buildManifest, MANIFEST_DIR, readManifestTemplate, validateManifest } from '../../src/adapters/teams/manifest.js';

const ROOT = join(import.meta.dirname, '..', '..');
const APP = '5f0c8d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f';
const run = promisify(execFile);

describe('manifest', () => {
  const template = readManifestTemplate();

  it('validates offline against the bundled Teams v1.25 schema, as committed and with real ids', async () => {
    const asCommitted = await validateManifest(template);
    expect(asCommitted.version).toBe('1.25');
    expect(asCommitted.errors).toEqual([]);
    const built = buildManifest(template, { appId: APP, botId: APP, version: '1.0.1' });
    expect((await validateManifest(built)).errors).toEqual([]);
    expect(built).toMatchObject({ id: APP, version: '1.0.1', bots: [{ botId: APP }], webApplicationInfo: { id: APP } });
  });

  it('an invalid manifest fails validation', async () => {
    const broken = { ...structuredClone(template), accentColor: undefined, bots: [{ ...template.bots[0]!, scopes: ['everywhere'] }] };
    const { errors } = await validateManifest(broken);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(/accentColor|scopes/);
    expect(() => buildManifest(template, { appId: 'not-a-guid', botId: APP })).toThrow(/not a GUID/);
  });

  it('lists the commands the bot answers, in personal chat and in channels', () => {
    const lists = template.bots[0]!.commandLists!;
    expect(lists.find((l) => l.scopes.includes('personal'))?.commands).toEqual(TEAMS_COMMANDS.map((c) => ({ ...c })));
    const channel = lists.find((l) => l.scopes.includes('team'));
    expect(channel?.scopes).toEqual(['team', 'groupChat']);
    expect(channel?.commands).toEqual(TEAMS_CHANNEL_COMMANDS.map((c) => ({ ...c })));
    for (const c of TEAMS_CHANNEL_COMMANDS) expect(parseCommand(c.title), c.title).not.toBeNull();
    expect(template.bots[0]!.scopes).toEqual(['personal', 'team', 'groupChat']);
  });

  it('asks for the RSC permission that lets the bot read update-thread replies without an @mention', () => {
    expect(template.authorization?.permissions?.resourceSpecific).toEqual(TEAMS_RSC_PERMISSIONS.map((p) => ({ ...p })));
    expect(template.webApplicationInfo?.id).toBeDefined();
  });

  it('works in shared channels as Microsoft documents (issue 15): supportsChannelFeatures tier1, the channel types, and channel membership by RSC', async () => {
    // msteams-docs "Apps for shared and private channels": add supportsChannelFeatures: tier1; request
    // ChannelMember.Read.Group to receive direct and indirect membership updates; supportedChannelTypes.
    expect(template.supportsChannelFeatures).toBe('tier1');
    expect(template.supportedChannelTypes).toEqual(['sharedChannels', 'privateChannels']);
    expect(template.authorization?.permissions?.resourceSpecific).toEqual(expect.arrayContaining([{ name: 'ChannelMember.Read.Group', type: 'Application' }]));
    // The schema itself knows the field (it is not one that any version would accept as unknown): a wrong value fails.
    const wrong = { ...structuredClone(template), supportsChannelFeatures: 'tier9' };
    expect((await validateManifest(wrong)).errors.join('\n')).toMatch(/supportsChannelFeatures/);
  });
});

describe('icons', () => {
  it('color.png is 192×192', async () => {
    const img = await loadImage(readFileSync(join(MANIFEST_DIR, 'color.png')));
    expect([img.width, img.height]).toEqual([192, 192]);
  });

  it('outline.png is 32×32, white on transparent only', async () => {
    const img = await loadImage(readFileSync(join(MANIFEST_DIR, 'outline.png')));
    expect([img.width, img.height]).toEqual([32, 32]);
    const c = createCanvas(32, 32);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, 32, 32);
    let opaque = 0;
    let transparent = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
      if (a === 0) transparent += 1;
      else {
        opaque += 1;
        expect([r, g, b], `pixel ${i / 4}`).toEqual([255, 255, 255]);
      }
    }
    expect(opaque).toBeGreaterThan(50);
    expect(transparent).toBeGreaterThan(50);
  });
});

describe('scripts/teams-package.mjs', () => {
  it('zips manifest.json and both icons at the root, with the app id from the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bragbot-teams-pkg-'));
    try {
      const out = join(dir, 'app.zip');
      const { stdout } = await run(process.execPath, ['scripts/teams-package.mjs', '--out', out], { cwd: ROOT, env: { ...process.env, TEAMS_CLIENT_ID: APP, TEAMS_APP_VERSION: '1.2.3' } });
      expect(stdout).toContain(`app ${APP}`);
      const zip = await JSZip.loadAsync(readFileSync(out));
      expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as { id: string; version: string; bots: { botId: string }[] };
      expect(manifest).toMatchObject({ id: APP, version: '1.2.3', bots: [{ botId: APP }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to package without TEAMS_CLIENT_ID, saying what to set', async () => {
    const env = { ...process.env };
    delete env.TEAMS_CLIENT_ID;
    const err = (await run(process.execPath, ['scripts/teams-package.mjs', '--out', join(tmpdir(), 'never.zip')], { cwd: ROOT, env }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('TEAMS_CLIENT_ID is not set');
  });
});
