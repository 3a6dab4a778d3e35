import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

/** The H5 build the end-to-end tests serve. */
export const H5_DIR = join(__dirname, '../../dist/h5')

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync('/usr/bin/chromium')) throw new Error('Chromium is missing: apt-get install -y chromium (npm test installs it)')
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** Builds dist/h5 when it is missing or older than the app sources (what `npm start` does). */
export function ensureH5Build(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../scripts/ensure-deps').ensureH5Build()
}
