#!/usr/bin/env node
/**
 * Draws the Teams app icons into manifests/teams/ (committed; run again only to change them):
 *  - color.png, 192×192: the four BRAG colours as a 2×2 grid of rounded tiles on a slate
 *    background, the Blue tile ticked (complete);
 *  - outline.png, 32×32: the same grid in white on a transparent background, as Teams requires
 *    for the outline icon (only white and transparency).
 * Shapes only, no text: the output does not depend on the fonts of the machine that draws it.
 *
 *   node scripts/teams-icons.mjs
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'manifests', 'teams');

const BRAG = { blue: '#1d4ed8', red: '#c62828', amber: '#f59e0b', green: '#2e7d32' };
const SLATE = '#1f2a44';

function roundedRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

function tick(ctx, x, y, size, width, colour) {
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  ctx.moveTo(x + size * 0.22, y + size * 0.52);
  ctx.lineTo(x + size * 0.42, y + size * 0.72);
  ctx.lineTo(x + size * 0.78, y + size * 0.3);
  ctx.stroke();
}

function colour() {
  const size = 192;
  const c = createCanvas(size, size);
  const ctx = c.getContext('2d');
  ctx.fillStyle = SLATE;
  ctx.fillRect(0, 0, size, size);
  const pad = 30;
  const gap = 12;
  const tile = (size - 2 * pad - gap) / 2;
  const tiles = [
    [BRAG.blue, 0, 0],
    [BRAG.red, 1, 0],
    [BRAG.amber, 0, 1],
    [BRAG.green, 1, 1],
  ];
  for (const [fill, col, row] of tiles) {
    ctx.fillStyle = fill;
    roundedRect(ctx, pad + col * (tile + gap), pad + row * (tile + gap), tile, tile, 14);
    ctx.fill();
  }
  tick(ctx, pad, pad, tile, 9, '#ffffff');
  return c.toBuffer('image/png');
}

function outline() {
  const size = 32;
  const c = createCanvas(size, size);
  const ctx = c.getContext('2d');
  ctx.clearRect(0, 0, size, size);
  const pad = 4;
  const gap = 2;
  const tile = (size - 2 * pad - gap) / 2;
  ctx.strokeStyle = '#ffffff';
  ctx.fillStyle = '#ffffff';
  ctx.lineWidth = 1.5;
  for (const [col, row, filled] of [[0, 0, true], [1, 0, false], [0, 1, false], [1, 1, true]]) {
    roundedRect(ctx, pad + col * (tile + gap) + 0.75, pad + row * (tile + gap) + 0.75, tile - 1.5, tile - 1.5, 2.5);
    if (filled) ctx.fill();
    else ctx.stroke();
  }
  return c.toBuffer('image/png');
}

writeFileSync(join(OUT, 'color.png'), colour());
writeFileSync(join(OUT, 'outline.png'), outline());
process.stdout.write(`wrote ${join(OUT, 'color.png')} and ${join(OUT, 'outline.png')}\n`);
