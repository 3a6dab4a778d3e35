/**
 * Unicode bidirectional formatting characters (UAX #9): embeddings and overrides U+202A–U+202E,
 * isolates U+2066–U+2069, the marks U+200E/U+200F and U+061C. In a file name they make
 * `合同\u202Efdp.exe` display as `合同exe.pdf`; they never carry meaning in a name.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g

/** `name` without bidirectional control characters. */
export function stripBidiControls(name: string): string {
  return name.replace(BIDI_CONTROLS, '')
}
