/**
 * The comparator that sorts numbers ascending (`[...nums].sort(ascendingNumbers)`). One
 * module-level function rather than `(a, b) => a - b` written at each hot call site: see
 * docs/ARCHITECTURE.md, "No closures made per call on hot paths".
 */
export const ascendingNumbers = (a: number, b: number): number => a - b
