#!/usr/bin/env node
'use strict'
/**
 * `npm run check:bundles` (after `npm run package:aws`): prints each function's zip size and exits 1
 * when one is above the 1.5 MB budget.
 */
const { ZIP_BUDGET_BYTES, lambdaZips } = require('./lambda-zips')

const mb = (b) => (b / 1024 / 1024).toFixed(2)
let over = 0
for (const z of lambdaZips()) {
  const bad = z.bytes > ZIP_BUDGET_BYTES
  if (bad) over++
  console.log(`${z.name.padEnd(16)} ${mb(z.bytes).padStart(6)} MB${bad ? `  OVER the ${mb(ZIP_BUDGET_BYTES)} MB budget` : ''}`)
}
if (over) {
  console.error(`${over} function zip(s) over the ${mb(ZIP_BUDGET_BYTES)} MB budget`)
  process.exit(1)
}
console.log(`all function zips within ${mb(ZIP_BUDGET_BYTES)} MB`)
