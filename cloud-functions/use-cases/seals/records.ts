import { createHash } from 'node:crypto'
import type { PersonalSignatureView, SealGrantView, SealRequestView, SealUseView, SealView } from '../../api/seals.types'
import type { Clock } from '../../ports/clock'
import type { Ids } from '../../ports/ids'
import type { Item, MetadataStore, NewItem } from '../../ports/metadata-store'
import type { SealGrant, SealRef, SealUseRequest } from '../../core/seals/seal-use-rules'
import { err, ok, type Result } from '../../core/shared/result'
import type { CpuWork } from '../../ports/cpu-work'
import type { ObjectStore } from '../../ports/object-store'

/**
 * Metadata records of the seals area (single table; identity records are `USER#…/PROFILE`,
 * `COMPANY#…/PROFILE` and `COMPANY#…/MEMBER#…`, owned by identity):
 *
 * | record | pk | sk | gsi1pk / gsi1sk |
 * |---|---|---|---|
 * | company seal | `COMPANY#<c>` | `SEAL#<sealId>` | |
 * | grant | `COMPANY#<c>` | `SEALGRANT#<sealId>#<userId>` | `USER#<u>` / `SEALGRANT#<c>#<sealId>` |
 * | 用印申请 | `COMPANY#<c>` | `SEALREQ#<requestId>` | |
 * | latest request of a member for a seal and contract | `COMPANY#<c>` | `SEALREQLATEST#<sealId>#<contractId>#<userId>` | |
 * | use (log) | `COMPANY#<c>` | `SEALUSE#<sealId>#<usedAt>#<id>` | |
 * | personal seal / handwriting | `USER#<u>` | `SIGNATURE#<signatureId>` | |
 *
 * Images live in the object store: `seals/<companyId>/<sealId>.png`, `signatures/<userId>/<id>.png`.
 */
export const sealKey = (companyId: string, sealId: string) => ({ pk: `COMPANY#${companyId}`, sk: `SEAL#${sealId}` })
export const grantKey = (companyId: string, sealId: string, userId: string) => ({
  pk: `COMPANY#${companyId}`,
  sk: `SEALGRANT#${sealId}#${userId}`,
  gsi1pk: `USER#${userId}`,
  gsi1sk: `SEALGRANT#${companyId}#${sealId}`,
})
export const requestKey = (companyId: string, requestId: string) => ({ pk: `COMPANY#${companyId}`, sk: `SEALREQ#${requestId}` })
export const latestRequestKey = (companyId: string, sealId: string, contractId: string, userId: string) => ({
  pk: `COMPANY#${companyId}`,
  sk: `SEALREQLATEST#${sealId}#${contractId}#${userId}`,
})
export const useKey = (companyId: string, sealId: string, usedAt: string, id: string) => ({ pk: `COMPANY#${companyId}`, sk: `SEALUSE#${sealId}#${usedAt}#${id}` })
export const signatureKey = (userId: string, signatureId: string) => ({ pk: `USER#${userId}`, sk: `SIGNATURE#${signatureId}` })

export const sealObjectKey = (companyId: string, sealId: string) => `seals/${companyId}/${sealId}.png`
export const signatureObjectKey = (userId: string, signatureId: string) => `signatures/${userId}/${signatureId}.png`
/** Beside an image's PNG: the same image made ready for PDF pages (`CpuWork.pdfImage`), which signing embeds instead. */
export const pdfImageKey = (pngKey: string) => pngKey.replace(/\.png$/, '.pdf-image.bin')

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

export function toSealView(item: Item): SealView {
  const companyId = String(item.companyId)
  const sealId = String(item.sealId)
  return {
    sealId,
    companyId,
    name: String(item.name),
    kind: item.kind as SealView['kind'],
    sealType: str(item.sealType) as SealView['sealType'],
    status: item.status === 'disabled' ? 'disabled' : 'active',
    width: Number(item.width),
    height: Number(item.height),
    widthMm: typeof item.widthMm === 'number' ? item.widthMm : undefined,
    heightMm: typeof item.heightMm === 'number' ? item.heightMm : undefined,
    createdBy: String(item.createdBy),
    createdAt: String(item.createdAt),
    version: item.version,
    imagePath: `/api/seals/companies/${companyId}/seals/${sealId}/image`,
  }
}

export function toSealRef(item: Item): SealRef {
  return { sealId: String(item.sealId), companyId: String(item.companyId), status: item.status === 'disabled' ? 'disabled' : 'active' }
}

export function toGrant(item: Item): SealGrant {
  const templateIds = Array.isArray(item.templateIds) ? item.templateIds.map(String) : undefined
  return { userId: String(item.userId), sealId: String(item.sealId), validUntil: String(item.validUntil), ...(templateIds?.length ? { templateIds } : {}) }
}

export function toGrantView(item: Item): SealGrantView {
  return { ...toGrant(item), grantedBy: String(item.grantedBy), grantedAt: String(item.grantedAt) }
}

export function toRequest(item: Item): SealUseRequest {
  return {
    requestId: String(item.requestId),
    sealId: String(item.sealId),
    contractId: String(item.contractId),
    requesterId: String(item.requesterId),
    status: item.status === 'approved' || item.status === 'rejected' ? item.status : 'pending',
  }
}

export function toRequestView(item: Item): SealRequestView {
  return {
    ...toRequest(item),
    companyId: String(item.companyId),
    templateId: str(item.templateId),
    reason: str(item.reason),
    createdAt: String(item.createdAt),
    decidedBy: str(item.decidedBy),
    decidedAt: str(item.decidedAt),
    comment: str(item.comment),
  }
}

export function toUseView(item: Item): SealUseView {
  return {
    sealId: String(item.sealId),
    companyId: String(item.companyId),
    userId: String(item.userId),
    contractId: String(item.contractId),
    requestId: str(item.requestId),
    via: item.via === 'admin' ? 'admin' : 'grant',
    usedAt: String(item.usedAt),
  }
}

export function toSignatureView(item: Item): PersonalSignatureView {
  const sealName = item.kind === 'personal-seal' ? (item.spec as { name?: unknown } | undefined)?.name : undefined
  return {
    signatureId: String(item.signatureId),
    kind: item.kind as PersonalSignatureView['kind'],
    ...(typeof sealName === 'string' ? { name: sealName } : {}),
    width: Number(item.width),
    height: Number(item.height),
    createdAt: String(item.createdAt),
    imagePath: `/api/seals/personal/${String(item.signatureId)}/image`,
  }
}

/**
 * Store a PNG under `objectKey` and create the record that points at it. The image is written
 * first, so a record never points at nothing; when the record cannot be created (its key is taken),
 * the image is removed again and the caller gets `CONFLICT` — nothing is left half-stored.
 * The PNG made ready for PDF pages goes beside it ({@link pdfImageKey}): signing then embeds it
 * without decoding the PNG again; without it (a busy CPU pool) signing decodes the PNG.
 */
export async function storeImageRecord<T extends NewItem>(
  deps: { objects: ObjectStore; metadata: MetadataStore; cpu: Pick<CpuWork, 'pdfImage'> },
  objectKey: string,
  png: Uint8Array,
  item: T,
): Promise<Result<T & { version: number }>> {
  const pdfImage = await deps.cpu.pdfImage(png).catch(() => undefined)
  await deps.objects.put(objectKey, png, { contentType: 'image/png' })
  if (pdfImage) await deps.objects.put(pdfImageKey(objectKey), pdfImage, { contentType: 'application/octet-stream' })
  const written = await deps.metadata.put(item, { mustNotExist: true })
  if (!written.ok) {
    await deps.objects.delete(objectKey)
    if (pdfImage) await deps.objects.delete(pdfImageKey(objectKey))
    return err('CONFLICT', written.message)
  }
  return ok({ ...item, version: 1 })
}

/** Sort-key prefixes of a company's seals and 用印申请, of one seal's uses and grants; of a user's personal signatures; index prefix of a user's grants. */
export const SEAL_PREFIX = 'SEAL#'
export const REQUEST_PREFIX = 'SEALREQ#'
export const usePrefix = (sealId: string) => `SEALUSE#${sealId}#`
export const grantPrefix = (sealId: string) => `SEALGRANT#${sealId}#`
export const SIGNATURE_PREFIX = 'SIGNATURE#'
export const GRANT_INDEX_PREFIX = 'SEALGRANT#'

type ImageStoreDeps = { objects: ObjectStore; metadata: MetadataStore; ids: Ids; clock: Clock; cpu: Pick<CpuWork, 'pdfImage'> }

/** A stored image: its PNG bytes and pixel size. */
export type SealImage = { png: Uint8Array; width: number; height: number }

/**
 * Store a new company seal of `companyId`, made by `userId`: the PNG, then its record (active,
 * with the PNG's SHA-256 and `details` such as the spec or the original's hash). `CONFLICT` when
 * the record cannot be created; nothing is left half-stored.
 */
export async function storeCompanySeal(
  deps: ImageStoreDeps,
  by: { userId: string; companyId: string },
  seal: SealImage & { name: string; kind: string; sealType?: string; details?: Record<string, unknown> },
): Promise<Result<SealView>> {
  const sealId = deps.ids.newId()
  const { png, width, height, name, kind, sealType, details } = seal
  const item = {
    ...sealKey(by.companyId, sealId),
    type: 'seal',
    sealId,
    companyId: by.companyId,
    name,
    kind,
    sealType,
    status: 'active',
    width,
    height,
    ...details,
    sha256: createHash('sha256').update(png).digest('hex'),
    createdBy: by.userId,
    createdAt: deps.clock.now().toISOString(),
  }
  const stored = await storeImageRecord(deps, sealObjectKey(by.companyId, sealId), png, item)
  return stored.ok ? ok(toSealView(stored.value)) : stored
}

/** Store a new personal signature (名章 or handwriting) of `userId`: the PNG, then its record. */
export async function storePersonalSignature(
  deps: ImageStoreDeps,
  userId: string,
  signature: SealImage & { kind: PersonalSignatureView['kind']; spec?: unknown },
): Promise<Result<PersonalSignatureView>> {
  const signatureId = deps.ids.newId()
  const item = {
    ...signatureKey(userId, signatureId),
    type: 'signature',
    signatureId,
    userId,
    kind: signature.kind,
    spec: signature.spec,
    width: signature.width,
    height: signature.height,
    createdAt: deps.clock.now().toISOString(),
  }
  const stored = await storeImageRecord(deps, signatureObjectKey(userId, signatureId), signature.png, item)
  return stored.ok ? ok(toSignatureView(stored.value)) : stored
}
