import type { Locator, Page } from 'playwright-core'

/**
 * Driving the H5 build's pages in Chromium as a person does, shared by the browser end-to-end tests.
 * Taro's H5 router keeps earlier pages (hidden) in the document, so every helper acts on the
 * visible element with the given id.
 */
export const visible = (page: Page, id: string): Locator => page.locator(`#${id}:visible`).first()
export const tap = (page: Page, id: string): Promise<void> => visible(page, id).click()
export const fill = (page: Page, id: string, value: string): Promise<void> => page.locator(`#${id}:visible input, input#${id}:visible`).first().fill(value)

/** The contract id in the page's hash route (`#/…?contractId=…`). */
export const contractIdOf = (page: Page): string | null => new URL(page.url().replace('/#/', '/')).searchParams.get('contractId')

/** Drag the field `cf-<fieldId>` of the wizard's page image so its centre lands at (fx, fy) of the page image's box (fractions). */
export async function dragField(page: Page, fieldId: string, fx: number, fy: number): Promise<void> {
  const image = (await page.locator('.cpage:visible').first().boundingBox())!
  const box = (await visible(page, `cf-${fieldId}`).boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(image.x + image.width * fx, image.y + image.height * fy, { steps: 8 })
  await page.mouse.up()
}

/** On the handwriting page: wait for the pad to stop sliding in, draw a stroke with the mouse, save. */
export async function drawSignature(page: Page): Promise<void> {
  let pad = (await visible(page, 'hw-canvas').boundingBox())!
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(150)
    const now = (await visible(page, 'hw-canvas').boundingBox())!
    if (now.x === pad.x && now.y === pad.y && now.width === pad.width) break
    pad = now
  }
  await page.mouse.move(pad.x + 30, pad.y + 60)
  await page.mouse.down()
  for (let i = 1; i <= 20; i++) await page.mouse.move(pad.x + 30 + i * 10, pad.y + 60 + Math.sin(i / 3) * 30)
  await page.mouse.up()
  await tap(page, 'hw-save')
  const saved = page.locator('#handwriting-message:visible, #handwriting-error:visible').first()
  await saved.waitFor({ timeout: 30_000 })
  const text = await saved.textContent()
  if (text !== '签名已保存') throw new Error(`handwriting: ${text}`)
}

/**
 * On the sign page's intent sheet: ask for the SMS code (waiting out the per-phone resend interval
 * when the login code was sent a moment ago) and type the newest one from the sandbox outbox.
 */
export async function enterIntentCode(page: Page, newestCode: () => Promise<string>): Promise<void> {
  await tap(page, 'sign-send-code')
  const sent = page.locator('#sign-code-sent:visible, #sign-intent-error:visible').first()
  await sent.waitFor()
  if (/频繁/.test((await sent.textContent()) ?? '')) {
    await visible(page, 'sign-send-code').getByText('获取验证码').waitFor({ timeout: 70_000 })
    await tap(page, 'sign-send-code')
  }
  await visible(page, 'sign-code-sent').waitFor()
  await fill(page, 'sign-code', await newestCode())
}
