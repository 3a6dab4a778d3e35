/**
 * An external ledger that witnesses checkpoint roots: a court's 司法链, a public transparency log.
 *
 * Contract: `anchor` is called once per checkpoint, after its root is time-stamped, with the root
 * (32 bytes), the tree size, the checkpoint id and its time. It resolves with the ledger's receipt
 * (an id or transaction reference to keep beside the checkpoint), or `undefined` when nothing was
 * anchored (the default). It must be idempotent for one `checkpointId` (a retried checkpoint may
 * anchor again) and must not throw for ledger trouble: it resolves `undefined` and logs instead,
 * since the time-stamped checkpoint already stands on its own.
 */
export interface Anchor {
  anchor(input: { checkpointId: string; root: Uint8Array; treeSize: number; at: Date }): Promise<{ receipt: string } | undefined>
}

/** The default: anchor nowhere. */
export const noAnchor: Anchor = {
  anchor: () => Promise.resolve(undefined),
}
