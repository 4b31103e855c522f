/**
 * The Teams app package: manifests/teams/manifest.json (schema v1.25: the first with
 * `supportsChannelFeatures`, which shared channels need, issue 15) with its two icons,
 * the app and bot ids filled in, validated offline against the schema bundled in
 * @microsoft/app-manifest, and zipped (scripts/teams-package.mjs).

 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import JSZip from 'jszip';
import { projectPath } from '../../paths.js';

export const MANIFEST_DIR = projectPath('manifests', 'teams');
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  bots: { botId: string; scopes: string[]; commandLists?: { scopes: string[]; commands: { title: string; description: string }[] }[] }[];
  webApplicationInfo?: { id: string; resource?: string };
  authorization?: { permissions?: { resourceSpecific?: { name: string; type: string }[] } };
  icons: { color: string; outline: string };
  [k: string]: unknown;
}

export function readManifestTemplate(dir = MANIFEST_DIR): TeamsManifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as TeamsManifest;
}

export interface PackageIds {
  /** The Teams app id (a GUID; usually the bot's app id). */
  appId: string;
  /** The Azure Bot registration's Microsoft App ID: TEAMS_CLIENT_ID. */
  botId: string;
  /** App version, when publishing an update (Teams needs a higher one). */
  version?: string | undefined;
}

export function buildManifest(template: TeamsManifest, ids: PackageIds): TeamsManifest {
  for (const [name, v] of Object.entries({ appId: ids.appId, botId: ids.botId })) {
    if (!GUID.test(v)) throw new Error(`${name} "${v}" is not a GUID: use the Microsoft App ID of the Azure Bot registration (TEAMS_CLIENT_ID)`);
  }
  const m = structuredClone(template);
  m.id = ids.appId;
  m.bots = m.bots.map((b) => ({ ...b, botId: ids.botId }));
  // RSC permissions are granted to this Entra app: the bot's own registration.
  if (m.webApplicationInfo) m.webApplicationInfo = { ...m.webApplicationInfo, id: ids.botId };
  if (ids.version) m.version = ids.version;
  return m;
}

/** The schema version named by the manifest's $schema, e.g. "1.25". */
export function schemaVersion(manifest: { $schema?: unknown }): string {
  const m = /\/teams\/v([\d.]+|DevPreview)\/MicrosoftTeams\.schema\.json$/i.exec(String(manifest.$schema ?? ''));
  if (!m) throw new Error(`manifest $schema "${String(manifest.$schema)}" is not a Teams manifest schema URL`);
  return m[1]!;
}

type Validate = (manifest: unknown, schema: unknown) => Promise<string[]>;

// @microsoft/app-manifest 1.1.2 needs fs-extra without declaring it: it is a devDependency of ours for that reason.
async function validator(): Promise<{ validate: Validate; via: 'AppManifestUtils' }> {
  const mod = (await import('@microsoft/app-manifest')) as unknown as { AppManifestUtils: { validateAgainstSchema: Validate } };
  return { validate: (m, s) => mod.AppManifestUtils.validateAgainstSchema(m, s), via: 'AppManifestUtils' };
}

/** The schema for the manifest's version, from @microsoft/app-manifest's bundled copies: no network. */
export function bundledSchema(version: string): unknown {
  const req = createRequire(import.meta.url);
  const file = req.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
  // As the package itself does: \a and \v escapes in the published schema are not valid JSON.
  return JSON.parse(readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b'));
}

export async function validateManifest(manifest: TeamsManifest): Promise<{ errors: string[]; via: string; version: string }> {
  const version = schemaVersion(manifest);
  const { validate, via } = await validator();
  return { errors: await validate(manifest, bundledSchema(version)), via, version };
}

/** manifest.json + color.png + outline.png at the zip's root, as Teams expects an app package. */
export async function zipPackage(manifest: TeamsManifest, dir = MANIFEST_DIR): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of [manifest.icons.color, manifest.icons.outline]) zip.file(icon, readFileSync(join(dir, icon)));
  // A fixed date keeps the package byte-identical for the same inputs.
  for (const f of Object.values(zip.files)) f.date = new Date('2021-01-01T00:00:00Z');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
