/** Signing shortcuts for PDF tests: one call per signature through the staged API. */
import { readFileSync } from 'node:fs'
import { maxCmsSize } from '../../cloud-functions/core/signing/build-cms-signed-data'
import { createSignatureAppearance, type AppearanceOptions } from '../../cloud-functions/core/signing/signature-appearance'
import { signPdf } from '../../cloud-functions/core/signing/sign-pdf'
import type { PrepareSignatureOptions } from '../../cloud-functions/core/signing/prepare-signature'
import type { Signer } from '../../cloud-functions/ports/signer'
import type { PdfTestPki } from './pdf-signing-ca'

let font: Uint8Array | undefined
/** Noto Sans SC Regular (OFL-1.1), from the @expo-google-fonts/noto-sans-sc package. */
export function cjkFont(): Uint8Array {
  if (!font) font = readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'))
  return font
}

export type TestSignOptions = Partial<Omit<PrepareSignatureOptions, 'appearance'>> & {
  appearance?: Partial<AppearanceOptions> | false
  timestamp?: boolean
  /** Sign with this signer instead of a fresh P-256 event certificate (e.g. an RSA signer). */
  signer?: Signer
}

/** Signs `pdf` as `name` with a fresh event certificate (or `o.signer`); returns the whole signed file. */
export async function signAs(pki: PdfTestPki, pdf: Uint8Array, name: string, o: TestSignOptions = {}): Promise<Buffer> {
  const signer = o.signer ?? (await pki.issue(name)).signer
  const withTsa = o.timestamp !== false
  const contentsSize = maxCmsSize(await signer.certificateChain(), withTsa, pki.tsaCertificatesSize)
  const appearance =
    o.appearance === false || !o.placement
      ? undefined
      : createSignatureAppearance({ signerName: name, dateText: '2026-11-30 10:15', font: cjkFont(), ...(o.appearance ?? {}) })
  const { signer: _s, timestamp: _t, ...rest } = o
  const sealed = await signPdf(pdf, {
    ...rest,
    signer,
    tsa: withTsa ? pki.tsa : undefined,
    contentsSize,
    signingTime: o.signingTime ?? new Date(),
    signerName: name,
    appearance,
  })
  return Buffer.from(sealed.toBytes())
}
