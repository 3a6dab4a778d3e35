// Compares a rendered page image with a reference (both PNG, same size) using pixelmatch, in its
// own Node process: pixelmatch 8 is ESM-only and does not load under the project's jest transform.
//
//   node test/support/page-image-diff.mjs candidate.png reference.png [diff-out.png]
//
// Prints one JSON line:
//   raw       fraction of pixels pixelmatch (threshold 0.1, anti-aliasing detection on) counts as different;
//   blocks    the same on 4×4-pixel block means — sub-pixel glyph placement and anti-aliasing (which
//             differ between any two rasterisers) average out, a missing, extra or moved glyph does not;
//   controls  `blocks` for a blank page and for the candidate moved down 4 px, against the same
//             reference: what a tolerance must stay below to tell a wrong render from a right one.
import { readFileSync, writeFileSync } from 'node:fs'
import pixelmatch from 'pixelmatch'
import pngjs from 'pngjs'

const { PNG } = pngjs
const [candidateFile, referenceFile, diffFile] = process.argv.slice(2)
const a = PNG.sync.read(readFileSync(candidateFile))
const b = PNG.sync.read(readFileSync(referenceFile))
if (a.width !== b.width || a.height !== b.height) {
  console.log(JSON.stringify({ sizeMismatch: [a.width, a.height, b.width, b.height] }))
  process.exit(0)
}
const { width: W, height: H } = a
const K = 4

function blocks(data) {
  const w = Math.floor(W / K)
  const h = Math.floor(H / K)
  const out = Buffer.alloc(w * h * 4)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 4; c++) {
        let s = 0
        for (let dy = 0; dy < K; dy++) for (let dx = 0; dx < K; dx++) s += data[((y * K + dy) * W + x * K + dx) * 4 + c]
        out[(y * w + x) * 4 + c] = Math.round(s / (K * K))
      }
    }
  }
  return { data: out, w, h }
}

const ref = blocks(b.data)
const blockDiff = (data) => {
  const c = blocks(data)
  return pixelmatch(c.data, ref.data, null, ref.w, ref.h, { threshold: 0.1 }) / (ref.w * ref.h)
}
const diff = diffFile ? new PNG({ width: W, height: H }) : undefined
const raw = pixelmatch(a.data, b.data, diff?.data ?? null, W, H, { threshold: 0.1 }) / (W * H)
if (diff) writeFileSync(diffFile, PNG.sync.write(diff))
const blank = Buffer.alloc(a.data.length, 255)
const shifted = Buffer.alloc(a.data.length, 255)
a.data.copy(shifted, W * 4 * 4, 0, a.data.length - W * 4 * 4)
console.log(JSON.stringify({ raw, blocks: blockDiff(a.data), controls: { blank: blockDiff(blank), shifted: blockDiff(shifted) } }))
