'use strict'
/**
 * The mutations of the PDF fuzzer (scripts/bench-fuzz.js). Each takes the seed's bytes and a seeded
 * random source and returns new bytes; all are deterministic given (bytes, random). Plain Node, no
 * dependencies.
 */

/** mulberry32: a small seeded generator; the same seed replays the same cases. */
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One generator per case, from the run's seed and the case number (cases replay one by one). */
const caseRandom = (seed, index) => prng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35))

const int = (rnd, n) => Math.floor(rnd() * n)
const pick = (rnd, xs) => xs[int(rnd, xs.length)]
const latin = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1')
const bytesOf = (s) => Buffer.from(s, 'latin1')

/** Every match of `re` (global) in the file as latin1: [{ index, text, groups }]. */
function matches(bytes, re) {
  const out = []
  const s = latin(bytes)
  for (const m of s.matchAll(re)) out.push({ index: m.index, text: m[0], m })
  return out
}

const splice = (b, at, remove, insert = Buffer.alloc(0)) => Buffer.concat([b.subarray(0, at), insert, b.subarray(at + remove)])

/** Replace one match of `re` at random by `f(match)` (latin1 text); the bytes unchanged when none. */
function replaceOne(bytes, rnd, re, f) {
  const ms = matches(bytes, re)
  if (!ms.length) return bytes
  const m = pick(rnd, ms)
  return splice(bytes, m.index, m.text.length, bytesOf(f(m.m, rnd)))
}

/** A number written in the same width when it fits (keeps later offsets right), else as is. */
const sameWidth = (old, n) => {
  const s = String(n)
  return s.length < old.length ? s.padStart(old.length, '0') : s
}

const TOKENS = ['obj', 'endobj', 'stream', 'endstream', '<<', '>>', '[', ']', '/Type', '/Page', '/Pages', '/Kids', '/Count', '/Parent', '/Length', 'R', '0', '-1', '99999999999', '1.#INF', '/Filter /FlateDecode', '(', ')', '<', '>', 'trailer', 'xref', 'startxref', '%%EOF', '/Prev 0', '/ObjStm', '/XRef', '\\', '%']

/** Nested arrays or dictionaries `depth` deep. */
const nested = (depth, dictStyle) => (dictStyle ? '<</A '.repeat(depth) + '1' + '>>'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth))

/** The mutations, by name: (bytes, rnd, seed) → bytes. `seed.byteRanges`: the signed ranges of a signed seed. */
const MUTATIONS = {
  flipBits(b, rnd) {
    const out = Buffer.from(b)
    const n = 1 + int(rnd, 8)
    for (let i = 0; i < n; i++) out[int(rnd, out.length)] ^= 1 << int(rnd, 8)
    return out
  },
  randomBytes(b, rnd) {
    const out = Buffer.from(b)
    const at = int(rnd, out.length)
    const n = 1 + int(rnd, 64)
    for (let i = 0; i < n && at + i < out.length; i++) out[at + i] = int(rnd, 256)
    return out
  },
  truncate(b, rnd) {
    // Half the time near the end (the tail: xref, trailer, %%EOF), else anywhere.
    return b.subarray(0, rnd() < 0.5 ? b.length - 1 - int(rnd, Math.min(b.length - 1, 4096)) : int(rnd, b.length))
  },
  insertBytes(b, rnd) {
    const n = 1 + int(rnd, 256)
    const ins = Buffer.alloc(n)
    for (let i = 0; i < n; i++) ins[i] = int(rnd, 256)
    return splice(b, int(rnd, b.length), 0, ins)
  },
  insertToken(b, rnd) {
    return splice(b, int(rnd, b.length), 0, bytesOf(` ${pick(rnd, TOKENS)} `))
  },
  deleteBytes(b, rnd) {
    const at = int(rnd, b.length)
    return splice(b, at, 1 + int(rnd, Math.min(4096, b.length - at)))
  },
  duplicateObject(b, rnd) {
    const objs = matches(b, /\d+ \d+ obj\b[\s\S]*?endobj/g)
    if (!objs.length) return b
    const o = pick(rnd, objs)
    const copy = b.subarray(o.index, o.index + o.text.length)
    return splice(b, rnd() < 0.5 ? o.index : int(rnd, b.length), 0, Buffer.concat([copy, bytesOf('\n')]))
  },
  removeObject(b, rnd) {
    const objs = matches(b, /\d+ \d+ obj\b[\s\S]*?endobj/g)
    if (!objs.length) return b
    const o = pick(rnd, objs)
    // Blank it (offsets stay) or cut it out (offsets move).
    return rnd() < 0.5 ? splice(b, o.index, o.text.length, Buffer.alloc(o.text.length, 0x20)) : splice(b, o.index, o.text.length)
  },
  xrefOffset(b, rnd) {
    if (rnd() < 0.3) return replaceOne(b, rnd, /startxref\s+(\d+)/g, (m) => `startxref\n${pick(rnd, [0, 1, Number(m[1]) + 1 + int(rnd, 50), Math.max(0, Number(m[1]) - 1 - int(rnd, 50)), b.length, 2 ** 31, int(rnd, b.length)])}`)
    return replaceOne(b, rnd, /(\d{10}) (\d{5}) ([nf])/g, (m) => `${sameWidth(m[1], pick(rnd, [0, int(rnd, b.length), Number(m[1]) + 1, Number(m[1]) - 1, 9999999999]))} ${m[2]} ${pick(rnd, ['n', 'n', 'f'])}`)
  },
  prevLoop(b, rnd) {
    // /Prev pointing at this section, at 0, or at the other section.
    const xrefs = matches(b, /startxref\s+(\d+)/g)
    const target = xrefs.length ? Number(pick(rnd, xrefs).m[1]) : 0
    if (matches(b, /\/Prev\s+\d+/g).length && rnd() < 0.6) return replaceOne(b, rnd, /\/Prev\s+\d+/g, () => `/Prev ${target}`)
    return replaceOne(b, rnd, /trailer\s*<</g, () => `trailer\n<< /Prev ${target} `)
  },
  length(b, rnd) {
    return replaceOne(b, rnd, /\/Length (\d+)/g, (m) => `/Length ${pick(rnd, [0, 1, Number(m[1]) + 1, Math.max(0, Number(m[1]) - 1), Number(m[1]) * 2, 2147483647, 99999999999, -5, int(rnd, b.length)])}`)
  },
  byteRange(b, rnd) {
    return replaceOne(b, rnd, /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g, (m) => {
      const v = m.slice(1, 5).map(Number)
      const i = int(rnd, 4)
      v[i] = pick(rnd, [v[i] + 1, Math.max(0, v[i] - 1), 0, v[i] + 1000, b.length, 2 ** 40])
      if (rnd() < 0.3) v[2] = v[0] + v[1] // an empty gap
      const text = `/ByteRange [${v.join(' ')}]`
      return text.length <= m[0].length ? text.padEnd(m[0].length, ' ') : text
    })
  },
  signedByte(b, rnd, seed) {
    // One byte inside a signed range (outside /Contents): the file must not verify as valid.
    const ranges = seed.byteRanges
    if (!ranges || !ranges.length) return MUTATIONS.flipBits(b, rnd)
    const [a, al, c, cl] = pick(rnd, ranges)
    const pos = rnd() < 0.5 ? a + int(rnd, al) : c + int(rnd, cl)
    const out = Buffer.from(b)
    out[pos] = rnd() < 0.5 ? out[pos] ^ (1 << int(rnd, 8)) : pick(rnd, [0x20, 0x30, 0x0a, 0x25])
    if (out[pos] === b[pos]) out[pos] ^= 1
    return out
  },
  nestedArrays(b, rnd) {
    const depth = pick(rnd, [64, 512, 4096, 50000, 100000])
    return replaceOne(b, rnd, /<<\s*\/Type\s*\/(Page|Catalog|Pages)\b/g, (m) => `<< /Nest ${nested(depth, false)} /Type /${m[1]}`)
  },
  nestedDicts(b, rnd) {
    const depth = pick(rnd, [64, 512, 4096, 50000])
    return replaceOne(b, rnd, /<<\s*\/Type\s*\/(Page|Catalog|Pages)\b/g, (m) => `<< /Nest ${nested(depth, true)} /Type /${m[1]}`)
  },
  hugeCount(b, rnd) {
    return replaceOne(b, rnd, /\/Count\s+(\d+)/g, () => `/Count ${pick(rnd, [0, -1, 100000, 2147483647, 99999999999, 1e300])}`)
  },
  kidsCycle(b, rnd) {
    // A page-tree node listing itself or its parent among its kids.
    return replaceOne(b, rnd, /(\d+) (\d+) obj\s*<<([^]*?)\/Kids\s*\[/g, (m) => `${m[1]} ${m[2]} obj\n<<${m[3]}/Kids [${m[1]} ${m[2]} R `)
  },
  referenceSwap(b, rnd) {
    return replaceOne(b, rnd, /(\d+) (\d+) R\b/g, () => `${pick(rnd, [0, 1, 2, 3, int(rnd, 1000), 2147483647])} ${pick(rnd, [0, 0, 0, 1, 65535])} R`)
  },
  numberSwap(b, rnd) {
    return replaceOne(b, rnd, /\s(-?\d+(?:\.\d+)?)(?=[\s\]/>])/g, () => ` ${pick(rnd, ['0', '-1', '1e400', '99999999999999999999', '-0', '3.', '.5', 'NaN', '2147483648'])}`)
  },
  nameSwap(b, rnd) {
    return replaceOne(b, rnd, /\/(Type|Subtype|Filter|Root|Pages|Kids|Size|Index|W|N|First|Contents|Resources|MediaBox|CropBox|Rotate|Annots|AcroForm|Fields|Encrypt|Length|DecodeParms)\b/g, () => `/${pick(rnd, ['Type', 'Page', 'Pages', 'Kids', 'Count', 'Parent', 'Encrypt', 'Filter', 'XRef', 'ObjStm', 'Length', 'Root', 'Sig', 'FT', 'V', 'Foo'])}`)
  },
  filterSwap(b, rnd) {
    return replaceOne(b, rnd, /\/Filter\s*\/\w+/g, () => `/Filter ${pick(rnd, ['/FlateDecode', '/LZWDecode', '/ASCIIHexDecode', '/ASCII85Decode', '/RunLengthDecode', '/DCTDecode', '/JBIG2Decode', '/Crypt', '[/FlateDecode /FlateDecode]', '/Nonsense'])}`)
  },
  spliceSeeds(b, rnd, _seed, other) {
    if (!other) return MUTATIONS.deleteBytes(b, rnd)
    const at = int(rnd, b.length)
    const from = int(rnd, other.length)
    return Buffer.concat([b.subarray(0, at), other.subarray(from, from + int(rnd, 8192))])
  },
  appendUpdate(b, rnd) {
    // A bogus incremental update: a replaced page object and a trailer whose numbers are off.
    const pages = matches(b, /(\d+) (\d+) obj\s*<<\s*\/Type\s*\/Page\b/g)
    const num = pages.length ? pick(rnd, pages).m[1] : '1'
    const xrefs = matches(b, /startxref\s+(\d+)/g)
    const prev = xrefs.length ? xrefs[xrefs.length - 1].m[1] : '0'
    const body = `\n${num} 0 obj\n<< /Type /Page /MediaBox [0 0 ${pick(rnd, ['612 792', '0 0', '1e9 1e9', '-5 -5'])}] >>\nendobj\n`
    const at = b.length + body.length
    const tail = `xref\n0 1\n0000000000 65535 f \n${num} 1\n${String(b.length + 1 + int(rnd, 3)).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${pick(rnd, [Number(num) + 1, 1, 2147483647])} /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`
    return Buffer.concat([b, bytesOf(body + tail)])
  },
}

const NAMES = Object.keys(MUTATIONS)

/**
 * The case `index` of a run: a seed picked at random, 1–3 mutations applied in turn (a signed seed
 * gets `signedByte` a quarter of the time). Returns the bytes, the seed's index and the mutations' names.
 */
function makeCase(seeds, seed, index) {
  const rnd = caseRandom(seed, index)
  const s = int(rnd, seeds.length)
  const base = seeds[s]
  let bytes = base.bytes
  const applied = []
  const rounds = rnd() < 0.7 ? 1 : 1 + int(rnd, 3)
  for (let r = 0; r < rounds; r++) {
    const name = base.byteRanges && base.byteRanges.length && r === 0 && rnd() < 0.25 ? 'signedByte' : pick(rnd, NAMES)
    const other = seeds[int(rnd, seeds.length)].bytes
    bytes = MUTATIONS[name](bytes, rnd, base, other)
    applied.push(name)
  }
  return { bytes: Buffer.from(bytes), seedIndex: s, mutations: applied }
}

module.exports = { prng, makeCase, MUTATIONS }
