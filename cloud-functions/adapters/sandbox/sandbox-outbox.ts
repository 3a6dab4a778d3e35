import { maskBankAccount, maskPhone } from '../../core/shared/mask'
import type { Clock } from '../../ports/clock'
import type { Ids } from '../../ports/ids'
import type { MetadataStore } from '../../ports/metadata-store'

/** One message the sandbox "sent": what a phone or a bank statement would show. */
export type OutboxEntry = {
  id: string
  channel: 'sms' | 'payout'
  /** Masked recipient: `138****0001`, or a masked account number. */
  to: string
  text: string
  /** SMS: the code in clear (sandbox only). */
  code?: string
  /** SMS notice: the link it carries (a signing link is a bearer secret: sandbox only). */
  link?: string
  /** Payout: the amount in yuan, `0.37`. */
  amount?: string
  /** ISO 8601. */
  sentAt: string
}

const PK = 'SANDBOX#OUTBOX'
const KEEP_SECONDS = 24 * 3600

/**
 * The sandbox's outbox: SMS codes and micro-deposits that a real provider would deliver, kept one
 * day in the metadata store so the UI (`GET /api/identity/sandbox/outbox`) can show them. Recipients are
 * stored masked only: the outbox never holds a full phone or account number.
 */
export class SandboxOutbox {
  constructor(private readonly deps: { metadata: MetadataStore; clock: Clock; ids: Ids }) {}

  async addSms(input: { phone: string; text: string; code: string }): Promise<OutboxEntry> {
    return this.add({ channel: 'sms', to: maskPhone(input.phone), text: input.text, code: input.code })
  }

  async addNotice(input: { phone: string; text: string; link?: string }): Promise<OutboxEntry> {
    return this.add({ channel: 'sms', to: maskPhone(input.phone), text: input.text, ...(input.link ? { link: input.link } : {}) })
  }

  async addPayout(input: { bankAccount: string; text: string; amount: string }): Promise<OutboxEntry> {
    return this.add({ channel: 'payout', to: maskBankAccount(input.bankAccount), text: input.text, amount: input.amount })
  }

  /** Newest first; `to` filters by the recipient (given in full, compared masked). */
  async list(options: { phone?: string; bankAccount?: string; limit?: number } = {}): Promise<OutboxEntry[]> {
    const to = options.phone ? maskPhone(options.phone) : options.bankAccount ? maskBankAccount(options.bankAccount) : undefined
    const limit = Math.min(200, options.limit ?? 50)
    // By recipient: its own index partition (the masked form, as stored); otherwise the newest of all.
    const page = to ? await this.deps.metadata.queryIndex(`${PK}#${to}`, { reverse: true, limit }) : await this.deps.metadata.query(PK, { reverse: true, limit })
    return page.items.map((i) => i.entry as OutboxEntry).filter((e) => !to || e.to === to)
  }

  private async add(entry: Omit<OutboxEntry, 'id' | 'sentAt'>): Promise<OutboxEntry> {
    const now = this.deps.clock.now()
    const id = this.deps.ids.newId()
    const full: OutboxEntry = { id, sentAt: now.toISOString(), ...entry }
    const sk = `${now.toISOString()}#${id}`
    await this.deps.metadata.put({ pk: PK, sk, gsi1pk: `${PK}#${full.to}`, gsi1sk: sk, entry: full, expiresAt: Math.floor(now.getTime() / 1000) + KEEP_SECONDS })
    return full
  }
}
