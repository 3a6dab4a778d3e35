/**
 * Break `text` into lines no wider than `max` (as `measure` says): at new lines; Chinese, Japanese
 * and Korean characters may break between any two characters; Latin words (runs of other
 * non-space characters) break at spaces, and only a word wider than a whole line is broken inside.
 * Spaces at a break are dropped. Pure.
 *
 * @example
 * wrapText('乙方 Zhang San', (t) => t.length * 10, 50) // ['乙方', 'Zhang', 'San']
 */
export function wrapText(text: string, measure: (t: string) => number, max: number): string[] {
  const out: string[] = []
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = ''
    const push = () => {
      out.push(line.trimEnd())
      line = ''
    }
    for (const token of paragraph.match(TOKENS) ?? []) {
      if (/^\s+$/.test(token)) {
        if (line) line += token
        continue
      }
      if (measure(line + token) <= max) {
        line += token
        continue
      }
      if (line.trim()) push()
      line = ''
      if (measure(token) <= max) {
        line = token
        continue
      }
      // A word wider than the box: broken between characters.
      for (const ch of token) {
        if (line && measure(line + ch) > max) push()
        line += ch
      }
    }
    out.push(line.trimEnd())
  }
  return out
}

/** Spaces, runs of non-CJK characters (words), or one CJK character (or full-width punctuation). */
const CJK = '\u2E80-\u2FFF\u3000-\u303F\u3040-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF'
const TOKENS = new RegExp(`\\s+|[^\\s${CJK}]+|.`, 'gu')
