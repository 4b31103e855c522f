#!/usr/bin/env node
/**
 * Builds the Teams app package to upload (Teams admin center, Developer Portal, or "Upload a
 * custom app"): manifests/teams/manifest.json with the app id filled in, color.png and
 * outline.png, zipped at the root. The manifest is validated offline first (the schema bundled
 * in @microsoft/app-manifest); an invalid one is not packaged.
 *
 *   TEAMS_CLIENT_ID=<Microsoft App ID of the Azure Bot> node scripts/teams-package.mjs [--out dist/teams/bragbot.zip]
 *
 * Environment: TEAMS_CLIENT_ID (required: the bot's app id, also used as the Teams app id),
 * TEAMS_APP_ID (optional: a different Teams app id), TEAMS_APP_VERSION (optional: e.g. 1.0.1
 * when uploading an update).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(root, 'dist', 'teams', 'bragbot-teams-app.zip'));

const botId = process.env.TEAMS_CLIENT_ID?.trim();
if (!botId) {
  process.stderr.write('TEAMS_CLIENT_ID is not set: give the Microsoft App ID of your Azure Bot registration (see manifests/teams/README.md).\n');
  process.exit(1);
}
const appId = process.env.TEAMS_APP_ID?.trim() || botId;
const version = process.env.TEAMS_APP_VERSION?.trim() || undefined;

const { readManifestTemplate, buildManifest, validateManifest, zipPackage } = await tsImport('../src/adapters/teams/manifest.ts', import.meta.url);
let manifest;
try {
  manifest = buildManifest(readManifestTemplate(), { appId, botId, version });
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
const { errors, version: schema } = await validateManifest(manifest);
if (errors.length) {
  process.stderr.write(`The manifest does not validate against the Teams v${schema} schema:\n${errors.map((e) => `  ${e}`).join('\n')}\n`);
  process.exit(1);
}
const zip = await zipPackage(manifest);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, zip);
process.stdout.write(`wrote ${out} (${zip.length} bytes): app ${manifest.id}, bot ${botId}, version ${manifest.version}, manifest schema v${schema}\n`);
