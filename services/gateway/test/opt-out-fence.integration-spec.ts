import { OutboundRig, type SimMessage } from './support/outbound-rig';
import { APP_A, NUMBER_A1 } from './support/tenants';
import { sleep, waitFor } from './support/wait';
import { metaJson, postWebhook, sign } from './support/webhook-client';

// DESIGN.md §5, invariant 1: no message but the opt-out confirmation reaches a contact after their opt-out, even when
// it races with replies already in flight. The consent stand-in here ALLOWS every send throughout, as a consent that
// has not yet recorded the opt-out would: the gateway's hold and fence alone must keep the invariant.

const CONTACTS = 1_000;
/** Each reply spends this long at the Cloud API, so that many are on the wire when their contact's STOP lands. */
const SEND_LATENCY_MS = 250;
const CONFIRM_EVERY = 10;

const text = (body: string) => ({ type: 'text', text: body });

/** Runs `work` over `items`, at most `width` at a time, results in order. */
async function inParallel<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The fence's wait histogram for one side, from the Prometheus text: count, mean, and bucket bounds of p50/p95. */
function fenceWaits(metrics: string, side: 'send' | 'hold-change') {
  const series = (suffix: string) =>
    [...metrics.matchAll(new RegExp(`^trustline_gateway_send_fence_wait_seconds_${suffix}\\{([^}]*)\\} (\\S+)$`, 'gm'))]
      .filter((m) => m[1].includes(`side="${side}"`))
      .map((m) => ({ labels: m[1], value: Number(m[2]) }));
  const count = series('count')[0]?.value ?? 0;
  const sum = series('sum')[0]?.value ?? 0;
  const buckets = series('bucket').map((b) => ({ le: Number(/le="([^"]+)"/.exec(b.labels)?.[1]), n: b.value }));
  const bound = (q: number) => (buckets.find((b) => b.n >= q * count)?.le ?? Number.NaN) * 1000;
  return { count, meanMs: count === 0 ? 0 : (sum / count) * 1000, p50Ms: bound(0.5), p95Ms: bound(0.95) };
}

const modes = [
  { mode: 'real PostgreSQL and JetStream (distributed mode)', adapters: {}, prefix: '55118' },
  {
    mode: 'embedded PGlite and the in-process bus (standalone mode)',
    adapters: { bus: 'in-process', database: 'embedded' } as const,
    prefix: '55117',
  },
];

describe.each(modes)('opt-out hold and send fence: $mode', ({ adapters, prefix }) => {
  let rig: OutboundRig;
  const pid = String(process.pid % 1000).padStart(3, '0');
  const users = Array.from({ length: CONTACTS }, (_, i) => `${prefix}${pid}${String(i).padStart(5, '0')}`);
  let contacts: string[] = [];
  let stoppedAtSecond = 0;

  beforeAll(async () => {
    rig = await OutboundRig.start({
      ...adapters,
      throughputMps: 1_000,
      simulatorThroughputMps: 1_000,
      // Longer than any send here takes, even on a busy test machine: a send the gateway gave up on could still be
      // taken by Meta after the fence let go, which is not the race under test.
      env: { WHATSAPP_SEND_TIMEOUT_MS: '10000' },
    });
  }, 60_000);

  afterAll(async () => {
    await rig?.stop();
  });

  /** The users write in (through the simulator, signed as Meta signs); resolves with their contactRefs in order. */
  async function write(from: readonly string[], body: string, at?: number[]): Promise<string[]> {
    const wamids = await inParallel(from, 50, async (waId, i) => {
      at?.splice(i, 1, Date.now());
      const answer = await rig.sim<{ wamid: string; status: number }>('POST', '/_sim/inbound', {
        from: waId,
        text: body,
      });
      expect(answer.status).toBe(200);
      return answer.wamid;
    });
    await waitFor(
      `${from.length} inbound messages`,
      () => {
        const seen = new Set(rig.received.map((e) => e.data.messageId));
        return wamids.every((wamid) => seen.has(wamid));
      },
      60_000,
    );
    const byWamid = new Map(rig.received.map((e) => [e.data.messageId, e.data.contactRef]));
    return wamids.map((wamid) => byWamid.get(wamid)!);
  }

  /** Waits until every command settled; resolves with 'accepted' or the failure reason of each, by command id. */
  async function settledAll(ids: readonly string[], timeoutMs = 60_000): Promise<Map<string, string>> {
    const wanted = new Set(ids);
    const outcomes = new Map<string, string>();
    await waitFor(
      `${ids.length} commands settled`,
      () => {
        for (const e of rig.accepted) {
          if (wanted.has(e.data.outboundId)) {
            outcomes.set(e.data.outboundId, 'accepted');
          }
        }
        for (const e of rig.failed) {
          if (wanted.has(e.data.outboundId)) {
            outcomes.set(e.data.outboundId, e.data.reason);
          }
        }
        return outcomes.size === wanted.size;
      },
      timeoutMs,
    );
    return outcomes;
  }

  /** When each contact's hold took effect, in ms (microsecond-exact), or null when it has none. */
  async function heldAt(refs: readonly string[]): Promise<Map<string, number | null>> {
    const rows: { contact_ref: string; held_ms: number | string | null }[] = await rig.gateway.db.query(
      `SELECT "contact_ref", extract(epoch FROM "suppressed_at") * 1000 AS held_ms
         FROM "gateway"."contact" WHERE "contact_ref" = ANY($1)`,
      [refs],
    );
    return new Map(rows.map((r) => [r.contact_ref, r.held_ms === null ? null : Number(r.held_ms)]));
  }

  async function simMessages(): Promise<SimMessage[]> {
    return rig.sim<SimMessage[]>('GET', '/_sim/messages');
  }

  it('lets nothing but the confirmation reach 1,000 contacts after their STOP took hold, replies in flight or not', async () => {
    const startedAt = Date.now();
    contacts = await write(users, 'Olá, quero marcar um horário');
    const wroteInMs = Date.now() - startedAt;
    for (const contactRef of contacts) {
      rig.decisions.set(contactRef, 'allow');
    }

    // A reply queued for everyone, each spending SEND_LATENCY_MS at the Cloud API…
    await rig.fault({ latencyMs: SEND_LATENCY_MS, count: CONTACTS });
    const racedAt = Date.now();
    const replies = await Promise.all(contacts.map((c) => rig.requestSend(c, text('Seu horário está confirmado.'))));
    // …and everyone's STOP arriving once the first replies are on the wire.
    await waitFor(
      'the first replies on the wire',
      async () => (await rig.sim<{ sends: number }>('GET', '/_sim/stats')).sends > 0,
    );
    const stopPostedAt: number[] = [];
    await write(users, 'STOP', stopPostedAt);
    stoppedAtSecond = Math.floor(Date.now() / 1000);
    const outcomes = await settledAll(replies);
    const racedMs = Date.now() - racedAt;

    const held = await heldAt(contacts);
    const messages = await simMessages();
    const byCommand = new Map(messages.map((m) => [String(m.biz_opaque_callback_data), m]));
    let inFlight = 0;
    const inFlightDelays: number[] = [];
    const otherDelays: number[] = [];
    for (const [i, contactRef] of contacts.entries()) {
      const holdMs = held.get(contactRef);
      expect(typeof holdMs).toBe('number');
      const outcome = outcomes.get(replies[i]);
      const sent = byCommand.get(replies[i]);
      if (outcome === 'accepted') {
        // It reached the Cloud API before the hold took effect — never after.
        expect(sent).toBeDefined();
        expect(Date.parse(sent!.receivedAt)).toBeLessThanOrEqual(holdMs!);
        if (Date.parse(sent!.receivedAt) > stopPostedAt[i]) {
          inFlight += 1; // on the wire when the STOP arrived: the hold waited for it
          inFlightDelays.push(holdMs! - stopPostedAt[i]);
          continue;
        }
      } else {
        expect(outcome).toBe('suppressed');
        expect(sent).toBeUndefined();
      }
      otherDelays.push(holdMs! - stopPostedAt[i]);
    }
    const accepted = [...outcomes.values()].filter((o) => o === 'accepted').length;
    // The race really happened: some replies went before, some were on the wire as the STOP came in, some were held.
    expect(inFlight).toBeGreaterThan(0);
    expect(CONTACTS - accepted).toBeGreaterThan(0);

    // consent's opt-out confirmation still goes to a held contact.
    const confirmed = contacts.filter((_, i) => i % CONFIRM_EVERY === 0);
    await rig.sim('DELETE', '/_sim/faults');
    const confirmations = await Promise.all(
      confirmed.map((c) =>
        rig.requestSend(c, text('Você não receberá mais mensagens. Envie START para voltar.'), {
          purpose: 'opt-out-confirmation',
        }),
      ),
    );
    for (const outcome of (await settledAll(confirmations)).values()) {
      expect(outcome).toBe('accepted');
    }

    // Replies queued after the STOP are refused by the hold, without asking consent or Meta.
    const consentCalls = rig.consentCalls;
    const late = await Promise.all(contacts.map((c) => rig.requestSend(c, text('Mais alguma dúvida?'))));
    for (const outcome of (await settledAll(late)).values()) {
      expect(outcome).toBe('suppressed');
    }
    expect(rig.consentCalls).toBe(consentCalls);

    // The invariant over everything the Cloud API received: after a contact's hold, only its confirmation.
    const confirmationIds = new Set(confirmations);
    const contactOf = new Map(users.map((waId, i) => [waId, contacts[i]]));
    const after = (await simMessages()).filter((m) => {
      const contactRef = contactOf.get(String(m.to).replace(/^\+/, ''));
      return contactRef !== undefined && Date.parse(m.receivedAt) > held.get(contactRef)!;
    });
    expect(after.filter((m) => !confirmationIds.has(String(m.biz_opaque_callback_data)))).toEqual([]);
    expect(after).toHaveLength(confirmed.length);

    const metrics = await (await fetch(`${rig.gateway.url}/metrics`)).text();
    const holdWaits = fenceWaits(metrics, 'hold-change');
    const sendWaits = fenceWaits(metrics, 'send');
    expect(holdWaits.count).toBeGreaterThan(0);
    expect(sendWaits.count).toBeGreaterThanOrEqual(accepted);
    const ms = (values: readonly number[]) => [50, 95, 100].map((p) => percentile(values, p).toFixed(0)).join('/');
    process.stdout.write(
      `opt-out fence (${adapters.database ?? 'postgres'}): ${CONTACTS} contacts written in ${wroteInMs} ms; ` +
        `replies+STOPs settled in ${racedMs} ms (STOPs posted over ` +
        `${Math.max(...stopPostedAt) - Math.min(...stopPostedAt)} ms); ${accepted} replies sent before their hold (${inFlight} reached ` +
        `the Cloud API after their STOP reached the gateway), ${CONTACTS - accepted} held back; STOP posted→hold ` +
        `p50/p95/max ms: behind a reply ${ms(inFlightDelays)}, others ${ms(otherDelays)}; fence waits: ` +
        `${holdWaits.count} hold changes, mean ${holdWaits.meanMs.toFixed(0)} ms, p50 ≤${holdWaits.p50Ms} ms, ` +
        `p95 ≤${holdWaits.p95Ms} ms; ${sendWaits.count} sends, mean ${sendWaits.meanMs.toFixed(1)} ms, ` +
        `p95 ≤${sendWaits.p95Ms} ms; test ${Date.now() - startedAt} ms\n`,
    );
  }, 120_000);

  it('lifts the hold on START: a later reply goes out', async () => {
    const back = contacts.slice(0, 10);
    const backUsers = users.slice(0, 10);
    // Meta's timestamps are in seconds, and an opt-in must be newer than the opt-out it undoes.
    await sleep(Math.max(0, (stoppedAtSecond + 1) * 1000 - Date.now() + 50));
    await write(backUsers, 'START');
    const held = await heldAt(back);
    expect([...held.values()]).toEqual(back.map(() => null));
    const replies = await Promise.all(back.map((c) => rig.requestSend(c, text('Bem-vindo de volta!'))));
    for (const outcome of (await settledAll(replies)).values()) {
      expect(outcome).toBe('accepted');
    }
    const sent = new Set((await simMessages()).map((m) => String(m.biz_opaque_callback_data)));
    expect(replies.every((id) => sent.has(id))).toBe(true);
  }, 60_000);

  it('holds on a template quick-reply STOP, and an opt-out older than the last opt-in changes nothing', async () => {
    const waId = `${prefix}${pid}99999`;
    const post = async (wamid: string, timestamp: number, message: Record<string, unknown>) => {
      const body = metaJson({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '880012345678901',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15551230000', phone_number_id: NUMBER_A1 },
                  contacts: [{ profile: { name: 'Ana Souza' }, wa_id: waId }],
                  messages: [{ from: waId, id: wamid, timestamp: String(timestamp), ...message }],
                },
              },
            ],
          },
        ],
      });
      expect((await postWebhook(rig.gateway.url, body, sign(body, APP_A.secret))).status).toBe(200);
      await waitFor(wamid, () => rig.received.some((e) => e.data.messageId === wamid));
      return rig.received.find((e) => e.data.messageId === wamid)!.data.contactRef;
    };
    const now = Math.floor(Date.now() / 1000);
    const tag = `${prefix}${pid}`;
    const contactRef = await post(`wamid.TPL${tag}`, now - 30, {
      type: 'button',
      button: { payload: 'STOP', text: 'Parar' },
    });
    expect((await heldAt([contactRef])).get(contactRef)).not.toBeNull();
    await post(`wamid.START${tag}`, now - 10, { type: 'text', text: { body: 'start' } });
    expect((await heldAt([contactRef])).get(contactRef)).toBeNull();
    // Delivered late: sent before the START, so it does not undo it.
    await post(`wamid.OLDSTOP${tag}`, now - 20, { type: 'text', text: { body: 'STOP' } });
    expect((await heldAt([contactRef])).get(contactRef)).toBeNull();
    // A sentence that merely contains the word is not an opt-out.
    await post(`wamid.SENTENCE${tag}`, now - 5, { type: 'text', text: { body: 'please stop by tomorrow' } });
    expect((await heldAt([contactRef])).get(contactRef)).toBeNull();
  });
});
