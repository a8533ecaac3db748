import {
  createEnvelope,
  type ConsentCheckResponseV1,
  type ConsentPurpose,
  type ConsentRecordV1,
  type GatewayOutboundAcceptedV1,
} from '@trustline/contracts';
import type { TransitCipher } from '@trustline/crypto';
import { randomBytes, randomUUID } from 'node:crypto';
import { BusProbe, type EventLog } from './support/bus-probe';
import { mapLimit, sleep } from './support/concurrency';
import { ConsentGrpcClient } from './support/consent-grpc-client';
import { ACCEPT, ACCEPT_ALL, BUSINESS, DECLINE, user, type User } from './support/consent-users';
import { ContactDirectory } from './support/contact-directory';
import { DistributedPlatform } from './support/distributed-platform';
import { OutboundOutcomes } from './support/outbound-outcomes';
import { SimulatorClient, type SimulatedMessage } from './support/simulator-client';
import { testTransitCipher } from './support/test-transit';

// Consent end to end in distributed mode (six processes, PostgreSQL, JetStream), driven only through public
// surfaces: WhatsApp users through the Cloud API simulator, services through NATS (facts observed on core
// subscriptions, commands and requests as a service sends them) and consent's gRPC API.
jest.setTimeout(120_000);

const TENANT = 'dev';
const PHONE_NUMBER_ID = '100000000000001';
/** How long a test waits for a message or fact that should follow promptly (the machine is shared and small). */
const PROMPTLY_MS = 30_000;
/** How long "nothing more arrives" is watched for. */
const QUIET_MS = 1_500;

/** The 1,000 contacts of the opt-out race; CONSENT_RACE_CONTACTS overrides it for local runs only. */
const RACE_CONTACTS = Number(process.env.CONSENT_RACE_CONTACTS ?? 1_000);
/** Contacts racing at once. */
const RACE_CONCURRENCY = Number(process.env.CONSENT_RACE_CONCURRENCY ?? 100);
/** Extra time every Cloud API send takes during the race, so that replies are really in flight. */
const RACE_SEND_LATENCY_MS = 50;

describe('consent in distributed mode', () => {
  const grpcToken = randomBytes(24).toString('base64url');
  let platform: DistributedPlatform | undefined;
  let probe: BusProbe;
  let sim: SimulatorClient;
  let grpc: ConsentGrpcClient;
  let transit: TransitCipher;
  let received: EventLog<'gateway.message.received.v1'>;
  let admitted: EventLog<'consent.message.admitted.v1'>;
  let decisions: EventLog<'consent.decision.recorded.v1'>;
  let accepted: EventLog<'gateway.outbound.accepted.v1'>;
  let failed: EventLog<'gateway.outbound.failed.v1'>;
  let contacts: ContactDirectory;
  let outcomes: OutboundOutcomes;

  beforeAll(async () => {
    platform = await DistributedPlatform.start({
      // The race logs a line per message at info: the machine's two cores are better spent on the race.
      LOG_LEVEL: 'warn',
      CONSENT_GRPC_CLIENTS: `dsar=${grpcToken}`,
    });
    sim = new SimulatorClient(platform.simulatorUrl);
    transit = await testTransitCipher();
    probe = await BusProbe.connect(platform.nats);
    received = await probe.record('gateway.message.received.v1');
    admitted = await probe.record('consent.message.admitted.v1');
    decisions = await probe.record('consent.decision.recorded.v1');
    accepted = await probe.record('gateway.outbound.accepted.v1');
    failed = await probe.record('gateway.outbound.failed.v1');
    contacts = new ContactDirectory(received, transit);
    outcomes = new OutboundOutcomes(accepted, failed);
    grpc = new ConsentGrpcClient(platform.ports.CONSENT_GRPC_PORT, grpcToken);
  }, 120_000);

  afterAll(async () => {
    grpc?.close();
    await probe?.close();
    await platform?.dispose();
  });

  afterEach(() => {
    // Whatever a test did, every fact it saw kept its contract and every contact opened with the platform's keys.
    for (const log of [received, admitted, decisions, accepted, failed]) {
      expect(log?.violations ?? []).toEqual([]);
    }
    expect(contacts?.failures ?? []).toEqual([]);
    expect(outcomes?.duplicates ?? []).toEqual([]);
  });

  function check(contactRef: string, purpose: ConsentPurpose = 'assistant'): Promise<ConsentCheckResponseV1> {
    return probe.bus.request(
      'consent.rpc.check.v1',
      createEnvelope({ producer: 'dsar', tenantId: TENANT, data: { subjectRef: contactRef, purpose } }),
    );
  }

  async function history(contactRef: string): Promise<ConsentRecordV1[]> {
    const answer = await grpc.call<{ records: ConsentRecordV1[] }>('History', {
      tenantId: TENANT,
      subjectRef: contactRef,
      limit: 500,
    });
    return answer.records;
  }

  /** What conversation-ai would send: a conversation reply, sealed for the gateway. Resolves with its id. */
  async function reply(contactRef: string, text: string): Promise<string> {
    const outboundId = randomUUID();
    const message = await transit.sealText(JSON.stringify({ type: 'text', text }), {
      tenantId: TENANT,
      subjectRef: contactRef,
      field: 'gateway.outbound.requested.v1/message',
    });
    await probe.bus.publish(
      'gateway.outbound.requested.v1',
      createEnvelope({
        producer: 'conversation-ai',
        tenantId: TENANT,
        data: { outboundId, contactRef, purpose: 'conversation', message },
      }),
    );
    return outboundId;
  }

  function open(sealed: string, contactRef: string, field: string): Promise<string> {
    return transit.openText(sealed, { tenantId: TENANT, subjectRef: contactRef, field });
  }

  /** The contact's first ledger record (for the assistant) with this action and channel. */
  function decision(contactRef: string, action: ConsentRecordV1['action'], channel: ConsentRecordV1['channel']) {
    return decisions.next(
      (data) =>
        data.subjectRef === contactRef &&
        data.action === action &&
        data.channel === channel &&
        data.purpose === 'assistant',
      PROMPTLY_MS,
      `${action} by ${channel} for the contact`,
    );
  }

  /** The contact's first message for this purpose that the gateway sent; fails naming the reason if it refused it. */
  async function sentFor(contactRef: string, purpose: string): Promise<{ data: GatewayOutboundAcceptedV1 }> {
    const matches = (data: { contactRef: string; purpose: string }) =>
      data.contactRef === contactRef && data.purpose === purpose;
    const outcome = await Promise.race([
      accepted.next(matches, PROMPTLY_MS, `${purpose} for the contact`),
      failed.next(matches, PROMPTLY_MS, `${purpose} for the contact`),
    ]);
    if ('reason' in outcome.data) {
      throw new Error(`the gateway refused the ${purpose}: ${outcome.data.reason}`);
    }
    return { data: outcome.data };
  }

  /** A new user writes: they get the prompt (checked) and nothing else; resolves with their contact and the prompt. */
  async function firstContact(who: User): Promise<{ contactRef: string; prompt: SimulatedMessage; wamid: string }> {
    const wamid = await sim.send(who.number, who.language.greeting);
    const contactRef = await contacts.refOf(who.number);
    await sentFor(contactRef, 'opt-in-prompt');
    const messages = await sim.messages(who.number);
    expect(messages).toHaveLength(1);
    const [prompt] = messages;
    expect(prompt).toMatchObject({
      to: `+${who.number}`,
      type: 'interactive',
      context: { message_id: wamid },
      interactive: { type: 'button', footer: { text: BUSINESS } },
    });
    for (const words of who.language.promptSays) {
      expect(prompt.interactive?.body.text).toContain(words);
    }
    expect(prompt.interactive?.action.buttons).toEqual(
      [ACCEPT, ACCEPT_ALL, DECLINE].map((button) => ({ type: 'reply', reply: button(who.language) })),
    );
    return { contactRef, prompt, wamid };
  }

  describe('opt-in (invariant 2: nothing but the prompt before consent)', () => {
    it.each(['es', 'pt', 'en'] as const)(
      'asks a new %s-speaking contact once, in their language, holds their message, and admits it on "accept all"',
      async (code) => {
        const who = user(code, 0, 1);
        const { contactRef, prompt } = await firstContact(who);

        // Undecided: the message waits, and consent says no.
        expect(admitted.filter((data) => data.contactRef === contactRef)).toEqual([]);
        expect(await check(contactRef)).toMatchObject({ allowed: false, state: 'undecided', suppressed: false });

        await sim.tap(who.number, ACCEPT_ALL(who.language), prompt.id);
        const { data } = await admitted.next((d) => d.contactRef === contactRef, PROMPTLY_MS, 'for the contact');
        expect(data).toMatchObject({ held: true, type: 'text', language: code, phoneNumberId: PHONE_NUMBER_ID });
        const contact = JSON.parse(await open(data.contact, contactRef, 'consent.message.admitted.v1/contact')) as {
          waId: string;
        };
        const content = JSON.parse(await open(data.content, contactRef, 'consent.message.admitted.v1/content')) as {
          text: string;
        };
        expect(contact.waId).toBe(who.number);
        expect(content.text).toBe(who.language.greeting);

        // The ledger says so, over NATS and over gRPC alike.
        const granted = await decision(contactRef, 'granted', 'whatsapp-button');
        expect(granted.data).toMatchObject({
          channel: 'whatsapp-button',
          noticeVersion: 1,
          regime: who.regime,
          language: code,
          evidence: { buttonId: 'consent:accept-all:1', inReplyTo: prompt.id },
        });
        for (const purpose of ['assistant', 'marketing'] as const) {
          expect(await check(contactRef, purpose)).toMatchObject({
            allowed: true,
            state: 'granted',
            suppressed: false,
            noticeVersion: 1,
            regime: who.regime,
          });
        }
        expect(
          await grpc.call('Check', { tenantId: TENANT, subjectRef: contactRef, purpose: 'assistant' }),
        ).toMatchObject({ allowed: true, state: 'granted', suppressed: false });

        // Exactly one message ever reached them: the prompt.
        await sleep(QUIET_MS);
        expect((await sim.messages(who.number)).map((message) => message.id)).toEqual([prompt.id]);
        expect(admitted.filter((d) => d.contactRef === contactRef)).toHaveLength(1);
      },
    );

    it('sends nothing more to a contact who declines, even when they write again or the assistant tries to answer', async () => {
      const who = user('en', 0, 2);
      const { contactRef, prompt } = await firstContact(who);
      await sim.tap(who.number, DECLINE(who.language), prompt.id);
      await decision(contactRef, 'declined', 'whatsapp-button');
      expect(await check(contactRef)).toMatchObject({ allowed: false, state: 'declined' });

      await sim.send(who.number, 'Hello? Is anyone there?');
      const refused = await outcomes.one(await reply(contactRef, 'An answer nobody asked for'));
      expect(refused).toMatchObject({ kind: 'failed', data: { reason: 'no-consent' } });

      await sleep(QUIET_MS);
      expect((await sim.messages(who.number)).map((message) => message.id)).toEqual([prompt.id]);
      // Their held message was dropped, not admitted.
      expect(admitted.filter((d) => d.contactRef === contactRef)).toEqual([]);
    });
  });

  describe('opt-out and opt-in keywords', () => {
    it.each(['en', 'es', 'pt'] as const)(
      '%s: the opt-out keyword gets exactly one confirmation and stops replies; the opt-in keyword exactly one welcome back',
      async (code) => {
        const who = user(code, 0, 3);
        const { contactRef, prompt } = await firstContact(who);
        await sim.tap(who.number, ACCEPT(who.language), prompt.id);
        await admitted.next((d) => d.contactRef === contactRef, PROMPTLY_MS, 'for the contact');

        await sim.send(who.number, who.language.optOut);
        const stopAnswered = Date.now();
        const withdrawn = await decision(contactRef, 'withdrawn', 'whatsapp-keyword');
        expect(withdrawn.data.evidence.keyword).toEqual(expect.any(String));
        const confirmation = await sentFor(contactRef, 'opt-out-confirmation');
        expect(await check(contactRef)).toMatchObject({ allowed: false, state: 'withdrawn', suppressed: true });
        const refused = await outcomes.one(await reply(contactRef, 'Are you sure?'));
        expect(refused).toMatchObject({ kind: 'failed', data: { reason: 'suppressed' } });

        // WhatsApp dates messages to the second, and the gateway lets an opt-in undo only an opt-out of an earlier
        // second: the user comes back as a person would, not within the same second.
        await sleep(Math.max(0, stopAnswered + 1_000 - Date.now()));
        await sim.send(who.number, who.language.optIn);
        await decision(contactRef, 'granted', 'whatsapp-keyword');
        const welcome = await sentFor(contactRef, 'opt-in-confirmation');
        expect(await check(contactRef)).toMatchObject({ allowed: true, state: 'granted', suppressed: false });

        await sleep(QUIET_MS);
        const messages = await sim.messages(who.number);
        expect(messages.map((message) => message.id)).toEqual([
          prompt.id,
          confirmation.data.messageId,
          welcome.data.messageId,
        ]);
        const [, optedOut, optedIn] = messages;
        for (const words of who.language.optedOutSays) {
          expect(optedOut.text?.body).toContain(words);
        }
        for (const words of who.language.optedInSays) {
          expect(optedIn.text?.body).toContain(words);
        }
      },
    );
  });

  // Invariant 1: no message but the opt-out confirmation is sent after the opt-out is recorded, even when replies are
  // in flight at that moment. Every contact opts in; then, per contact, conversation replies are published just
  // before and just after the user's STOP while every Cloud API send takes longer than usual.
  describe('opt-out race (invariant 1)', () => {
    it(`no reply reaches any of ${RACE_CONTACTS} contacts after their opt-out is recorded, however it races the replies in flight`, async () => {
      const codes = ['es', 'pt', 'en'] as const;
      const users = Array.from({ length: RACE_CONTACTS }, (_, i) => user(codes[i % 3], 1, i));
      const refs = new Array<string>(RACE_CONTACTS);

      // Opt everyone in: first messages, then a tap on each prompt.
      const optInStarted = performance.now();
      await mapLimit(users, 50, (who) => sim.send(who.number, who.language.greeting));
      await mapLimit(users, 50, async (who, i) => {
        refs[i] = await contacts.refOf(who.number, 120_000);
        await accepted.next(
          (data) => data.contactRef === refs[i] && data.purpose === 'opt-in-prompt',
          120_000,
          'prompt for a race contact',
        );
        const [prompt] = await sim.messages(who.number);
        await sim.tap(who.number, ACCEPT_ALL(who.language), prompt.id);
      });
      const raceRefs = new Set(refs);
      const admittedRefs = new Set<string>();
      admitted.listen(({ data }) => {
        if (raceRefs.has(data.contactRef)) {
          admittedRefs.add(data.contactRef);
        }
      });
      await admitted.until(
        () => admittedRefs.size === RACE_CONTACTS,
        120_000,
        () => `${admittedRefs.size} of ${RACE_CONTACTS} contacts admitted`,
      );
      const optInMs = performance.now() - optInStarted;

      // The race. Per contact: one or two replies published, the STOP sent a few milliseconds later, then the rest of
      // its 2–3 replies a few milliseconds after that, without waiting for the webhook's answer.
      const withdrawnRefs = new Set<string>();
      decisions.listen(({ data }) => {
        if (data.action === 'withdrawn' && raceRefs.has(data.subjectRef)) {
          withdrawnRefs.add(data.subjectRef);
        }
      });
      const confirmedRefs = new Set<string>();
      accepted.listen(({ data }) => {
        if (data.purpose === 'opt-out-confirmation' && raceRefs.has(data.contactRef)) {
          confirmedRefs.add(data.contactRef);
        }
      });
      await sim.addFault({ latencyMs: RACE_SEND_LATENCY_MS, count: 100_000 });
      const replies: { outboundId: string; contact: number; side: 'before' | 'after' }[] = [];
      /** When the platform answered each contact's STOP webhook (200). */
      const stopAnswered = new Array<number>(RACE_CONTACTS);
      const raceStarted = performance.now();
      await mapLimit(users, RACE_CONCURRENCY, async (who, i) => {
        const total = 2 + (i % 2);
        const before = total === 3 ? 1 + ((i >> 1) % 2) : 1;
        const publish = async (side: 'before' | 'after', k: number): Promise<void> => {
          replies.push({ outboundId: await reply(refs[i], `Race reply ${i}.${k}`), contact: i, side });
        };
        const sends: Promise<unknown>[] = [];
        for (let k = 0; k < before; k += 1) {
          sends.push(publish('before', k));
        }
        await sleep(i % 7);
        const stop = async (): Promise<void> => {
          await sim.send(who.number, who.language.optOut);
          stopAnswered[i] = Date.now();
        };
        sends.push(stop());
        await sleep((i * 3) % 11);
        for (let k = before; k < total; k += 1) {
          sends.push(publish('after', k));
        }
        await Promise.all(sends);
      });
      const publishedMs = performance.now() - raceStarted;
      // A wait that times out is reported with the figures below, not instead of them.
      const unsettled: string[] = [];
      const settling = (wait: Promise<unknown>) =>
        wait.catch((error: unknown) => unsettled.push(error instanceof Error ? error.message : 'failed'));
      await Promise.all([
        settling(
          outcomes.all(
            replies.map((r) => r.outboundId),
            150_000,
          ),
        ),
        settling(
          decisions.until(
            () => withdrawnRefs.size === RACE_CONTACTS,
            150_000,
            () => `${withdrawnRefs.size} of ${RACE_CONTACTS} opt-outs recorded`,
          ),
        ),
        settling(
          accepted.until(
            () => confirmedRefs.size === RACE_CONTACTS,
            150_000,
            () => `${confirmedRefs.size} of ${RACE_CONTACTS} confirmations sent`,
          ),
        ),
      ]);
      const settled = replies.flatMap((r) => outcomes.of(r.outboundId) ?? []);
      const raceMs = performance.now() - raceStarted;
      await sim.clearFaults();
      // Anything still on its way would land now.
      await sleep(QUIET_MS);

      // Per contact: when the ledger recorded the opt-out (gRPC history), and what the user received (simulator).
      interface Violation {
        readonly contact: number;
        readonly contactRef: string;
        readonly wamid: string;
        readonly purpose: string;
        readonly receivedAt: string;
        readonly optOutRecordedAt: string;
      }
      const violations: Violation[] = [];
      const confirmations = new Map<number, number>();
      const prompts = new Map<number, number>();
      const eventTimesDiffer: number[] = [];
      let repliesBefore = 0;
      /** How long before its contact's opt-out each delivered reply arrived (ms). */
      const leads: number[] = [];
      let afterStopAnswered = 0;
      let unknownMessages = 0;
      await mapLimit(users, 50, async (who, i) => {
        const ledger = await history(refs[i]);
        const withdrawals = ledger.filter((record) => record.action === 'withdrawn');
        if (withdrawals.length === 0) {
          unsettled.push(`contact ${i}: no withdrawal in the ledger`);
          return;
        }
        const recordedAt = Math.min(...withdrawals.map((record) => Date.parse(record.recordedAt)));
        const announced = decisions.filter((data) => data.subjectRef === refs[i] && data.action === 'withdrawn');
        if (Math.min(...announced.map(({ data }) => Date.parse(data.recordedAt))) !== recordedAt) {
          eventTimesDiffer.push(i);
        }
        for (const message of await sim.messages(who.number)) {
          const purpose = outcomes.sentAs(message.id)?.purpose ?? 'unknown';
          if (purpose === 'opt-out-confirmation') {
            confirmations.set(i, (confirmations.get(i) ?? 0) + 1);
          } else if (purpose === 'opt-in-prompt') {
            prompts.set(i, (prompts.get(i) ?? 0) + 1);
          } else if (purpose === 'conversation') {
            repliesBefore += 1;
            leads.push(recordedAt - Date.parse(message.receivedAt));
            if (Date.parse(message.receivedAt) > stopAnswered[i]) {
              afterStopAnswered += 1;
            }
          } else {
            unknownMessages += 1;
          }
          if (purpose !== 'opt-out-confirmation' && Date.parse(message.receivedAt) > recordedAt) {
            violations.push({
              contact: i,
              contactRef: refs[i],
              wamid: message.id,
              purpose,
              receivedAt: message.receivedAt,
              optOutRecordedAt: new Date(recordedAt).toISOString(),
            });
          }
        }
      });

      const reasons = new Map<string, number>();
      for (const outcome of settled) {
        const key = outcome.kind === 'accepted' ? 'accepted' : `failed: ${outcome.data.reason}`;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
      const sides = (side: 'before' | 'after', kind: 'accepted' | 'failed') =>
        replies.filter((r) => r.side === side && outcomes.of(r.outboundId)?.kind === kind).length;
      console.log(
        [
          `opt-out race, ${RACE_CONTACTS} contacts, ${replies.length} conversation replies, Cloud API sends +${RACE_SEND_LATENCY_MS} ms:`,
          `  opt-in of all contacts: ${(optInMs / 1000).toFixed(1)} s`,
          `  race: published in ${(publishedMs / 1000).toFixed(1)} s, all settled in ${(raceMs / 1000).toFixed(1)} s`,
          `  replies by outcome: ${[...reasons].map(([key, n]) => `${key} ${n}`).join(', ')}`,
          `  published before the STOP: ${sides('before', 'accepted')} delivered, ${sides('before', 'failed')} refused;` +
            ` after: ${sides('after', 'accepted')} delivered, ${sides('after', 'failed')} refused`,
          `  the users received: ${repliesBefore} replies (all before their opt-out unless listed below),` +
            ` ${[...confirmations.values()].reduce((a, b) => a + b, 0)} opt-out confirmations,` +
            ` ${unknownMessages} unidentified messages`,
          `  delivered replies ahead of their contact's recorded opt-out by: closest ${Math.min(...leads)} ms,` +
            ` ${leads.filter((lead) => lead <= 100).length} within 100 ms;` +
            ` ${afterStopAnswered} arrived after the STOP webhook had been answered`,
          `  messages after the opt-out other than its confirmation: ${violations.length}`,
          ...violations.slice(0, 50).map((v) => `    ${JSON.stringify(v)}`),
          ...unsettled.map((problem) => `  NOT SETTLED: ${problem}`),
        ].join('\n'),
      );

      expect(violations).toEqual([]);
      expect(unsettled).toEqual([]);
      expect(settled).toHaveLength(replies.length);
      expect(unknownMessages).toBe(0);
      expect(eventTimesDiffer).toEqual([]);
      expect(users.map((_, i) => confirmations.get(i) ?? 0)).toEqual(users.map(() => 1));
      expect(users.map((_, i) => prompts.get(i) ?? 0)).toEqual(users.map(() => 1));
      // Every delivered reply reached the user, and the race was a race: some replies won it, some lost.
      expect(repliesBefore).toBe(reasons.get('accepted') ?? 0);
      expect(reasons.get('accepted') ?? 0).toBeGreaterThan(0);
      expect(reasons.get('failed: suppressed') ?? 0).toBeGreaterThan(0);
    }, 300_000);
  });
});
