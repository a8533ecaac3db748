import type { TransitCipher } from '@trustline/crypto';
import type { EventLog } from './bus-probe';

/**
 * Which contact reference the platform gave each WhatsApp user, learnt as a service learns it: from the sealed
 * `contact` of `gateway.message.received.v1`, opened with the platform's keys.
 */
export class ContactDirectory {
  private readonly refs = new Map<string, string>();
  private readonly waiting = new Map<string, ((contactRef: string) => void)[]>();
  /** Events whose contact would not open: a test expects none. */
  readonly failures: string[] = [];

  constructor(
    received: EventLog<'gateway.message.received.v1'>,
    private readonly transit: TransitCipher,
  ) {
    received.listen(({ tenantId, data }) => {
      this.transit
        .openText(data.contact, {
          tenantId,
          subjectRef: data.contactRef,
          field: 'gateway.message.received.v1/contact',
        })
        .then((contact) => this.learn((JSON.parse(contact) as { waId: string }).waId, data.contactRef))
        .catch((error: unknown) => this.failures.push(error instanceof Error ? error.name : 'unknown'));
    });
  }

  /** The contact reference of the user with this number (digits), once the platform has received from them. */
  refOf(waId: string, timeoutMs = 30_000): Promise<string> {
    const known = this.refs.get(waId);
    if (known !== undefined) {
      return Promise.resolve(known);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no contact reference within ${timeoutMs} ms`)), timeoutMs);
      const waiters = this.waiting.get(waId) ?? [];
      waiters.push((contactRef) => {
        clearTimeout(timer);
        resolve(contactRef);
      });
      this.waiting.set(waId, waiters);
    });
  }

  private learn(waId: string, contactRef: string): void {
    const known = this.refs.get(waId);
    if (known !== undefined && known !== contactRef) {
      this.failures.push('one user, two contact references');
    }
    this.refs.set(waId, contactRef);
    for (const waiter of this.waiting.get(waId) ?? []) {
      waiter(contactRef);
    }
    this.waiting.delete(waId);
  }
}
