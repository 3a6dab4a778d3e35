import QRCode from 'qrcode'

/** A QR symbol's modules: `data[row * size + col]` is 1 for a dark module, row 0 at the top. */
export type QrModules = { size: number; data: Uint8Array }

/** The symbols made last, by URL: a contract's code is drawn when it is sent and again on its evidence report. */
const symbols = new Map<string, QrModules>()
const SYMBOLS_KEPT = 64

/**
 * The QR symbol of `url`: error correction M, the text split into numeric, alphanumeric and byte
 * segments by {@link qrSegments}, the smallest version that holds them, and the mask with the lowest
 * penalty (ISO/IEC 18004 §7.8.3) — the same modules as
 * `QRCode.create(qrSegments(url), { errorCorrectionLevel: 'M' })`, checked module for module by the tests.
 *
 * Why not `QRCode.create(url, …)` itself: it spent most of its time in its segment optimiser (a
 * shortest-path search over a graph of every mode change) and in the mask search (the penalty of
 * each of the eight masks counted through the library's matrix accessors, module by module). Here
 * the segments come from one pass over the text, the library encodes them (Reed–Solomon, placement)
 * with mask 0, and the eight penalties are counted 32 modules at a time: 540 → 180 µs of CPU for the
 * product's verify URL (bench:flow draws two symbols per contract, the page stamp and the report's).
 * A symbol made again soon for the same URL is kept.
 *
 * @example
 * const { size, data } = qrSymbol('https://qianyue.example/#/…?contract=ct_1')
 */
export function qrSymbol(url: string): QrModules {
  let qr = symbols.get(url)
  if (!qr) {
    qr = encode(url)
    if (symbols.size >= SYMBOLS_KEPT) symbols.delete(symbols.keys().next().value as string)
    symbols.set(url, qr)
  }
  return qr
}

function encode(url: string): QrModules {
  const masked0 = QRCode.create(qrSegments(url), { errorCorrectionLevel: 'M', maskPattern: 0 }).modules as unknown as {
    size: number
    data: Uint8Array
    reservedBit: Uint8Array
  }
  const n = masked0.size
  const masks = masksFor(n, masked0.reservedBit)
  // The modules with no mask and no format information: mask 0 and its format bits taken off again (both are XORs).
  const bare = Uint8Array.from(masked0.data)
  const x0 = masks.bytes[0]!
  for (let k = 0; k < bare.length; k++) bare[k] ^= x0[k]!
  const { rows, cols } = pack(bare, n, masks.words)
  let best = 0
  let lowest = Infinity
  for (let p = 0; p < 8; p++) {
    const score = penalty(rows, cols, masks.rows[p]!, masks.cols[p]!, n, masks.words)
    if (score < lowest) {
      lowest = score
      best = p
    }
  }
  const xb = masks.bytes[best]!
  for (let k = 0; k < bare.length; k++) bare[k] ^= xb[k]!
  return { size: n, data: bare }
}

type SegmentMode = 'numeric' | 'alphanumeric' | 'byte'
/** One segment as `QRCode.create` takes it: digits or alphanumeric characters as text, anything else as its UTF-8 bytes. */
export type QrSegment = { mode: 'numeric' | 'alphanumeric'; data: string } | { mode: 'byte'; data: Buffer }

const MODES: SegmentMode[] = ['numeric', 'alphanumeric', 'byte']
const ALPHANUMERIC = new Set('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:')
/** Character-count bits per mode (ISO/IEC 18004 Table 3) for versions 1–9, 10–26 and 27–40. */
const COUNT_BITS: Record<SegmentMode, readonly number[]> = { numeric: [10, 12, 14], alphanumeric: [9, 11, 13], byte: [8, 16, 16] }
/** Data codewords at error correction M of versions 9, 26 and 40: the most each count-width group holds. */
const GROUP_DATA_CODEWORDS = [182, 1062, 2334]

/**
 * `text` split into segments that together take close to the fewest bits (ISO/IEC 18004 Annex J):
 * one pass over the characters keeps, for each mode, the cheapest encoding of the text so far that
 * ends in a segment of that mode (in sixths of a bit: a digit 3⅓ bits, an alphanumeric character
 * 5½, a byte 8; a new segment 4 bits of mode and its character count), then walks back. Made with
 * the count widths of versions 1–9, or of larger versions when the text does not fit in version 9.
 *
 * @example
 * qrSegments('https://x.example/?contract=06H4WYSGA8GKGB8T6SECRN20G4') // byte, then alphanumeric
 */
export function qrSegments(text: string): QrSegment[] {
  const chars = Array.from(text)
  let segments: QrSegment[] = []
  for (let group = 0; group < 3; group++) {
    segments = cheapest(chars, group)
    if (bitsOf(segments, group) <= GROUP_DATA_CODEWORDS[group]! * 8) break
  }
  return segments
}

function cheapest(chars: string[], group: number): QrSegment[] {
  const head = MODES.map((m) => (4 + COUNT_BITS[m][group]!) * 6)
  // modeOf[i][state]: the mode character i is encoded in, when the encoding after it ends in a segment of mode `state`.
  const modeOf: number[][] = []
  let costs = head.slice()
  for (const ch of chars) {
    const code = ch.codePointAt(0) as number
    const next = [Infinity, Infinity, Infinity]
    const mode = [-1, -1, -1]
    if (code >= 0x30 && code <= 0x39) {
      next[0] = costs[0]! + 20
      mode[0] = 0
    }
    if (ALPHANUMERIC.has(ch)) {
      next[1] = costs[1]! + 33
      mode[1] = 1
    }
    next[2] = costs[2]! + Buffer.byteLength(ch, 'utf8') * 48
    mode[2] = 2
    // Or a new segment starts after this character: the one it ends, rounded up to whole bits, plus the new header.
    const ended = next.slice()
    for (let to = 0; to < 3; to++) {
      for (let m = 0; m < 3; m++) {
        if (mode[m] === -1) continue
        const cost = Math.ceil(ended[m]! / 6) * 6 + head[to]!
        if (cost < next[to]!) {
          next[to] = cost
          mode[to] = m
        }
      }
    }
    modeOf.push(mode)
    costs = next
  }
  let state = 0
  for (let m = 1; m < 3; m++) if (costs[m]! < costs[state]!) state = m
  const modes = new Array<number>(chars.length)
  for (let i = chars.length - 1; i >= 0; i--) {
    state = modeOf[i]![state]!
    modes[i] = state
  }
  const segments: QrSegment[] = []
  for (let i = 0; i < chars.length; ) {
    let end = i + 1
    while (end < chars.length && modes[end] === modes[i]) end++
    const part = chars.slice(i, end).join('')
    segments.push(modes[i] === 2 ? { mode: 'byte', data: Buffer.from(part, 'utf8') } : { mode: MODES[modes[i]!] as 'numeric' | 'alphanumeric', data: part })
    i = end
  }
  return segments
}

/** The bits `segments` take with the count widths of `group` (mode, count and data of each). */
function bitsOf(segments: QrSegment[], group: number): number {
  let bits = 0
  for (const s of segments) {
    const k = s.data.length
    bits += 4 + COUNT_BITS[s.mode][group]!
    if (s.mode === 'numeric') bits += 10 * Math.floor(k / 3) + [0, 4, 7][k % 3]!
    else if (s.mode === 'alphanumeric') bits += 11 * Math.floor(k / 2) + 6 * (k % 2)
    else bits += 8 * k
  }
  return bits
}

/**
 * For each mask pattern p of an n×n symbol, what choosing it XORs onto the bare modules: the pattern
 * on every module that is not a function pattern, and p's format information on its two copies; as
 * bytes, and packed by rows and by columns (32 modules a word) for the penalty. Made once per size.
 */
type MaskSet = { words: number; bytes: Uint8Array[]; rows: Uint32Array[]; cols: Uint32Array[] }
const maskSets = new Map<number, MaskSet>()
/** Sizes kept (the product draws one or two: its verify URLs); a set for version 40 is a quarter of a megabyte. */
const MASK_SETS_KEPT = 4

function masksFor(n: number, reserved: Uint8Array): MaskSet {
  let set = maskSets.get(n)
  if (!set) {
    const words = Math.ceil(n / 32)
    set = { words, bytes: [], rows: [], cols: [] }
    for (let p = 0; p < 8; p++) {
      const x = new Uint8Array(n * n)
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (!reserved[i * n + j] && maskAt(p, i, j)) x[i * n + j] = 1
      const bits = formatBits(p)
      for (let i = 0; i < 15; i++) {
        const v = (bits >> i) & 1
        // The library's places: the vertical copy in column 8, the horizontal one in row 8.
        x[(i < 6 ? i : i < 8 ? i + 1 : n - 15 + i) * n + 8] = v
        x[8 * n + (i < 8 ? n - i - 1 : i < 9 ? 15 - i : 15 - i - 1)] = v
      }
      const packed = pack(x, n, words)
      set.bytes.push(x)
      set.rows.push(packed.rows)
      set.cols.push(packed.cols)
    }
    if (maskSets.size >= MASK_SETS_KEPT) maskSets.clear()
    maskSets.set(n, set)
  }
  return set
}

/** Mask pattern `p` at row i, column j (ISO/IEC 18004 Table 10). */
function maskAt(p: number, i: number, j: number): boolean {
  switch (p) {
    case 0: return (i + j) % 2 === 0
    case 1: return i % 2 === 0
    case 2: return j % 3 === 0
    case 3: return (i + j) % 3 === 0
    case 4: return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0
    case 5: return ((i * j) % 2) + ((i * j) % 3) === 0
    case 6: return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0
    default: return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0
  }
}

/**
 * The 15-bit format information for error correction M (indicator 00) and mask `p`: BCH(15,5)
 * with generator 0x537, XORed with 0x5412 (ISO/IEC 18004 §7.9.1).
 */
function formatBits(p: number): number {
  const d = (0b00 << 3) | p
  let rem = d << 10
  for (let bit = 14; bit >= 10; bit--) if (rem & (1 << bit)) rem ^= 0x537 << (bit - 10)
  return ((d << 10) | rem) ^ 0x5412
}

/** Modules packed 32 to a word: row r's module c at bit c % 32 of `rows[r * words + c / 32]`; `cols` the same for the transpose. */
function pack(m: Uint8Array, n: number, words: number): { rows: Uint32Array; cols: Uint32Array } {
  const rows = new Uint32Array(n * words)
  const cols = new Uint32Array(n * words)
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!m[r * n + c]) continue
      rows[r * words + (c >>> 5)]! |= 1 << (c & 31)
      cols[c * words + (r >>> 5)]! |= 1 << (r & 31)
    }
  }
  return { rows, cols }
}

/** Set bits of a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/** Bits [32i + s, 32i + s + 32) of the line starting at `at` in `a` (s < 32): the line moved s modules towards its start. */
function bitsFrom(a: Int32Array | Uint32Array, at: number, i: number, words: number, s: number): number {
  if (s === 0) return a[at + i]!
  return (a[at + i]! >>> s) | (i + 1 < words ? a[at + i + 1]! << (32 - s) : 0)
}

/** A word of ones for the modules below `limit` in word i. */
function below(limit: number, i: number): number {
  const from = i * 32
  if (limit >= from + 32) return -1
  if (limit <= from) return 0
  return (1 << (limit - from)) - 1
}

/** The finder-like patterns the library looks for (11 modules, the first at bit 10): light-dark-… as 1:1:3:1:1 with 4 light modules after or before. */
const FINDER_LIKE = [0x5d0, 0x05d]

/**
 * The mask penalty as the `qrcode` library counts it, so both choose the same mask: N1 3 + (run − 5)
 * for each run of five or more same-coloured modules in a row or column, N2 3 for each 2×2 block of
 * one colour, N3 40 for each finder-like 1:1:3:1:1 pattern in an 11-module window of a row or
 * column, N4 10 for each 5 % the dark share lies from half. Counted on 32 modules at a time.
 */
function penalty(bareRows: Uint32Array, bareCols: Uint32Array, maskRows: Uint32Array, maskCols: Uint32Array, n: number, words: number): number {
  const rows = new Int32Array(n * words)
  const cols = new Int32Array(n * words)
  for (let k = 0; k < rows.length; k++) {
    rows[k] = bareRows[k]! ^ maskRows[k]!
    cols[k] = bareCols[k]! ^ maskCols[k]!
  }
  const same = new Int32Array(words)
  const runs = new Int32Array(words)
  let points = lines(rows, n, words, same, runs) + lines(cols, n, words, same, runs)
  // N2 (on rows: a 2×2 block is the same seen either way) and N4.
  let blocks = 0
  let dark = 0
  for (let r = 0; r < n; r++) {
    const at = r * words
    for (let i = 0; i < words; i++) dark += popcount(rows[at + i]!)
    if (r === n - 1) break
    for (let i = 0; i < words; i++) same[i] = ~(rows[at + i]! ^ rows[at + words + i]!) // vertical neighbours equal
    for (let i = 0; i < words; i++) {
      const across = ~(rows[at + i]! ^ bitsFrom(rows, at, i, words, 1)) // module c equals module c + 1 in row r
      blocks += popcount(same[i]! & bitsFrom(same, 0, i, words, 1) & across & below(n - 1, i))
    }
  }
  points += blocks * 3
  const k = Math.abs(Math.ceil((dark * 100) / (n * n) / 5) - 10)
  return points + k * 10
}

/** N1 and N3 points of `n` lines of `words` words each. */
function lines(a: Int32Array, n: number, words: number, same: Int32Array, runs: Int32Array): number {
  let points = 0
  for (let l = 0; l < n; l++) {
    const at = l * words
    // same[c]: module c equals module c + 1.
    for (let i = 0; i < words; i++) same[i] = ~(a[at + i]! ^ bitsFrom(a, at, i, words, 1)) & below(n - 1, i)
    // runs[c]: modules c … c + 4 all alike. A run of L ≥ 5 has L − 4 of them; the library counts 3 + (L − 5) = L − 2.
    for (let i = 0; i < words; i++) runs[i] = same[i]! & bitsFrom(same, 0, i, words, 1) & bitsFrom(same, 0, i, words, 2) & bitsFrom(same, 0, i, words, 3)
    for (let i = 0; i < words; i++) {
      const before = (runs[i]! << 1) | (i > 0 ? runs[i - 1]! >>> 31 : 0)
      points += popcount(runs[i]!) + 2 * popcount(runs[i]! & ~before)
    }
    // N3: windows starting at c ≤ n − 11.
    for (let i = 0; i < words; i++) {
      let first = below(n - 10, i)
      let second = first
      for (let s = 0; s < 11; s++) {
        const m = bitsFrom(a, at, i, words, s)
        first &= (FINDER_LIKE[0]! >> (10 - s)) & 1 ? m : ~m
        second &= (FINDER_LIKE[1]! >> (10 - s)) & 1 ? m : ~m
      }
      points += 40 * (popcount(first) + popcount(second))
    }
  }
  return points
}
