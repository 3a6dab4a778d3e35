import { CA_ROLES, certifyCaHierarchy, type CaKeyHandle, type CaRole } from '../core/pki/create-ca-hierarchy'
import type { Clock } from '../ports/clock'
import type { KeyVault } from '../ports/key-vault'
import type { MetadataStore } from '../ports/metadata-store'
import { vaultCaKey } from '../use-cases/pki/records'

/** The CA certificates of a hierarchy whose keys live in a key vault. */
export type VaultCaCertificates = { keyIds: Record<CaRole, string>; certificates: Record<CaRole, Uint8Array>; created: boolean }


/**
 * The platform CA in AWS mode: its four keys are KMS keys named by configuration
 * (`ESIGN_KMS_*_KEY_ID`), its certificates live in the metadata store (`PKI#CA` / `CURRENT`).
 * On first use the hierarchy is certified over those keys (the root self-signs through KMS) and
 * stored with a create-only write: concurrent cold starts agree on one hierarchy (the loser reads
 * the winner's). A stored hierarchy certified for other key ids is an error, not silently replaced.
 *
 * @example
 * const ca = await loadOrCreateVaultCa({ vault, keyIds, metadata, clock, baseUrl })
 * const issuing = { certificateDer: ca.certificates.issuing, signer: await vault.signer(keyIds.issuing, [ca.certificates.issuing]) }
 */
export async function loadOrCreateVaultCa(o: {
  vault: KeyVault
  keyIds: Record<CaRole, string>
  metadata: MetadataStore
  clock: Clock
  baseUrl: string
  organization?: string
}): Promise<VaultCaCertificates> {
  const stored = await read(o.metadata)
  if (stored) return check(stored, o.keyIds)
  const keys = {} as Record<CaRole, CaKeyHandle>
  for (const role of CA_ROLES) {
    const key = await o.vault.describeKey(o.keyIds[role])
    if (!key) throw new Error(`the ${role} CA key ${o.keyIds[role]} is not in the key vault (${o.vault.describe().kind})`)
    keys[role] = { publicKeyDer: key.publicKeyDer, signer: (chain) => o.vault.signer(key.keyId, chain) }
  }
  const certified = await certifyCaHierarchy({ now: o.clock.now(), baseUrl: o.baseUrl, organization: o.organization, keys })
  const certificates = Object.fromEntries(CA_ROLES.map((r) => [r, certified[r].certificateDer])) as Record<CaRole, Uint8Array>
  const written = await o.metadata.put(
    {
      ...vaultCaKey,
      type: 'platform-ca',
      createdAt: o.clock.now().toISOString(),
      baseUrl: o.baseUrl,
      keyIds: o.keyIds,
      certificates: Object.fromEntries(CA_ROLES.map((r) => [r, Buffer.from(certificates[r]).toString('base64')])),
    },
    { mustNotExist: true },
  )
  if (written.ok) return { keyIds: o.keyIds, certificates, created: true }
  const winner = await read(o.metadata)
  if (!winner) throw new Error('the platform CA record could neither be created nor read')
  return check(winner, o.keyIds)
}

async function read(metadata: MetadataStore): Promise<Omit<VaultCaCertificates, 'created'> | undefined> {
  const item = await metadata.get(vaultCaKey.pk, vaultCaKey.sk)
  if (!item) return undefined
  const encoded = item.certificates as Record<CaRole, string>
  return {
    keyIds: item.keyIds as Record<CaRole, string>,
    certificates: Object.fromEntries(CA_ROLES.map((r) => [r, new Uint8Array(Buffer.from(encoded[r], 'base64'))])) as Record<CaRole, Uint8Array>,
  }
}

function check(stored: Omit<VaultCaCertificates, 'created'>, keyIds: Record<CaRole, string>): VaultCaCertificates {
  const differing = CA_ROLES.filter((r) => stored.keyIds[r] !== keyIds[r])
  if (differing.length > 0) {
    throw new Error(`the platform CA in the metadata store was certified for other ${differing.join(', ')} key ids (${differing.map((r) => stored.keyIds[r]).join(', ')}); key rotation is not automatic`)
  }
  return { ...stored, created: false }
}
