import { formatFen } from '../../core/identity/attempt-limits'
import type { Payout } from '../../ports/payout'
import type { SandboxOutbox } from './sandbox-outbox'

/** {@link Payout} of the sandbox: no money moves; the "bank statement line" lands in the {@link SandboxOutbox}. */
export class SandboxPayout implements Payout {
  private readonly sent = new Map<string, string>()

  constructor(private readonly outbox: SandboxOutbox) {}

  describe() {
    return { kind: 'sandbox' as const }
  }

  async sendMicroDeposit(input: { reference: string; accountName: string; bankName: string; bankAccount: string; amountFen: number }): Promise<{ payoutId: string }> {
    const known = this.sent.get(input.reference)
    if (known) return { payoutId: known }
    const amount = formatFen(input.amountFen)
    const text = `【沙箱银行流水】${input.bankName} 入账 ${amount} 元，付款方：签约平台，收款户名：${input.accountName}，附言：${input.reference}`
    const entry = await this.outbox.addPayout({ bankAccount: input.bankAccount, text, amount })
    this.sent.set(input.reference, entry.id)
    return { payoutId: entry.id }
  }
}
