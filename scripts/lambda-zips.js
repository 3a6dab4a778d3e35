'use strict'
/** The function zips `osls package` wrote (.serverless/<function>.zip), named by serverless.yml. */
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..')
const ZIPS = path.join(ROOT, '.serverless')
/** Budget per function zip (the fonts and PDFium live in the assets layer). */
const ZIP_BUDGET_BYTES = 1.5 * 1024 * 1024

/** [{ name, handler, zip, bytes }] for every function in serverless.yml. */
function lambdaZips() {
  const yml = fs.readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8')
  const fnSection = yml.slice(yml.indexOf('\nfunctions:'), yml.indexOf('\nresources:'))
  const out = []
  for (const m of fnSection.matchAll(/^ {2}([a-z-]+):\s*\n(?:(?: {4}.*)?\n)*? {4}handler: (\S+)\.handler/gm)) {
    const zip = path.join(ZIPS, `${m[1]}.zip`)
    if (!fs.existsSync(zip)) throw new Error(`${zip} is missing: run "npm run package:aws"`)
    out.push({ name: m[1], handler: `${m[2]}.js`, zip, bytes: fs.statSync(zip).size })
  }
  if (out.length === 0) throw new Error('no functions found in serverless.yml')
  return out
}

module.exports = { ROOT, ZIPS, ZIP_BUDGET_BYTES, lambdaZips }
