/**
 * A fresh clone installs exactly what was locked (`npm ci`) and `npm install` leaves package-lock.json
 * alone (issue 17 pt 2). npm rewrites the lock, and `npm ci` refuses it, when an entry's dependency —
 * optional platform binaries included — has no entry the Node resolution would find: the lock once
 * listed 2 of @napi-rs/canvas's 11 platform packages. And no locked package may refuse a supported
 * Node (EBADENGINE): nanoid@6 via docx wanted ^22 while Node 20 is supported.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  link?: boolean;
  engines?: { node?: string } | string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
interface Lock {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };

/** Where Node would find `name` required from the package at `from` (its own node_modules, then each parent's). */
export function resolveInLock(packages: Lock['packages'], from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

/** Every dependency npm would have to write into the lock because no locked entry answers it. */
export function missingFromLock(packages: Lock['packages']): string[] {
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    if (entry.link) continue;
    const wanted = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const name of Object.keys(wanted)) {
      if (!resolveInLock(packages, path, name)) missing.push(`${name} (wanted by ${path || 'bragbot'})`);
    }
  }
  return missing;
}

/** The lowest version of each `||` branch of the supported range: the oldest Node of each supported line. */
export function oldestOfEachLine(range: string): string[] {
  return range.split('||').map((part) => {
    const min = semver.minVersion(part.trim());
    if (!min) throw new Error(`engines.node branch "${part}" has no lowest version`);
    return min.version;
  });
}

export function refusingPackages(packages: Lock['packages'], nodeVersion: string): string[] {
  return Object.entries(packages).flatMap(([path, entry]) => {
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    return path && range && !semver.satisfies(nodeVersion, range) ? [`${path} wants node ${range}`] : [];
  });
}

describe('package-lock.json', () => {
  it('is a v3 lock with the tree in it', () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(Object.keys(lock.packages).length).toBeGreaterThan(500);
  });

  it('the completeness check sees a platform package left out of the lock (so it can fail)', () => {
    const packages: Lock['packages'] = {
      '': { dependencies: { '@napi-rs/canvas': '^1.1.1' } },
      'node_modules/@napi-rs/canvas': { version: '1.1.1', optionalDependencies: { '@napi-rs/canvas-linux-x64-gnu': '1.1.1', '@napi-rs/canvas-darwin-arm64': '1.1.1' } },
      'node_modules/@napi-rs/canvas-linux-x64-gnu': { version: '1.1.1', optional: true },
    };
    expect(missingFromLock(packages)).toEqual(['@napi-rs/canvas-darwin-arm64 (wanted by node_modules/@napi-rs/canvas)']);
    // A nested copy answers its own parent only: Node's resolution, not "somewhere in the lock".
    packages['node_modules/other/node_modules/@napi-rs/canvas-darwin-arm64'] = { version: '1.1.1', optional: true };
    expect(missingFromLock(packages)).toHaveLength(1);
  });

  it('answers every dependency, optional platform binaries included (npm ci accepts it, npm install keeps it)', () => {
    expect(missingFromLock(lock.packages)).toEqual([]);
  });

  it('locks every platform binary of @napi-rs/canvas it names', () => {
    const canvas = lock.packages['node_modules/@napi-rs/canvas'];
    const platforms = Object.keys(canvas?.optionalDependencies ?? {});
    expect(platforms.length).toBeGreaterThan(5);
    for (const name of platforms) expect(lock.packages[`node_modules/${name}`]?.optional, name).toBe(true);
  });
});

describe('supported Node versions', () => {
  const oldest = oldestOfEachLine(pkg.engines.node);

  // 24 (the current LTS, from 24.11) runs SQLite on node:sqlite: better-sqlite3 ≤ 12 aborts there
  // (src/db/sqlite-driver.ts). 20 is past end of life but is this machine's and CI's own Node.
  it('package.json names the 20, 22 and 24 lines', () => {
    expect(oldest).toEqual(['20.19.0', '22.13.0', '24.11.0']);
  });

  it('the engines check sees a package that refuses a supported Node (so it can fail)', () => {
    const withNanoid6 = { '': {}, 'node_modules/x/node_modules/nanoid': { version: '6.0.2', engines: { node: '^22 || ^24 || >=26' } } };
    expect(refusingPackages(withNanoid6, '22.13.0')).toEqual([]);
    expect(refusingPackages(withNanoid6, '20.19.0')).toEqual(['node_modules/x/node_modules/nanoid wants node ^22 || ^24 || >=26']);
  });

  it.each(oldest)('no locked package refuses Node %s (no EBADENGINE warning on install)', (version) => {
    expect(refusingPackages(lock.packages, version)).toEqual([]);
  });
});
