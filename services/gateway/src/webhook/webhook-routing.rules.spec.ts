import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeChanges } from './webhook-payload.rules';
import { MAX_SHAPE_PROBLEMS, routeWebhook, type RoutedWebhook } from './webhook-routing.rules';
import { WebhookShapeError } from './webhook-shape.error';

const FIXTURES = join(__dirname, '__fixtures__');
const WABA = '880012345678901';
const PN = '109876543210987';
const DISPLAY = '15551230000';
const PN2 = '109876543210988';
const DISPLAY2 = '15551230001';

const fixtureNames = (): string[] =>
  readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
const loadFixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));

/** Routing of every fixture: [phoneNumberId, displayPhoneNumber, changes] per number, unroutable, item count. */
const ROUTES: Record<string, { numbers?: [string, string, number][]; unroutable?: string[]; items: number }> = {
  text: { items: 1 },
  'interactive-button-reply': { items: 1 },
  'interactive-list-reply': { items: 1 },
  'template-button': { items: 1 },
  image: { items: 1 },
  audio: { items: 1 },
  video: { items: 1 },
  document: { items: 1 },
  sticker: { items: 1 },
  location: { items: 1 },
  contacts: { items: 1 },
  reaction: { items: 1 },
  'reaction-removed': { items: 1 },
  order: { items: 1 },
  'system-user-changed-number': { items: 1 },
  'system-user-changed-user-id': { items: 1 },
  'unsupported-with-errors': { items: 1 },
  referral: { items: 1 },
  forwarded: { items: 2 },
  'statuses-sent-delivered-read': { items: 3 },
  'status-failed-131047': { items: 1 },
  'status-played': { items: 1 },
  'status-read-without-delivered': { items: 2 },
  'group-status': { items: 1 },
  'value-errors': { items: 1 },
  'user-preferences-stop': { items: 1 },
  'user-preferences-resume': { items: 1 },
  'bsuid-only': { items: 1 },
  batched: {
    numbers: [
      [PN, DISPLAY, 2],
      [PN2, DISPLAY2, 2],
    ],
    items: 6,
  },
  'account-update': { numbers: [], unroutable: ['account_update', 'message_template_status_update'], items: 0 },
};

function shapeProblems(body: unknown): string[] {
  try {
    routeWebhook(body);
  } catch (error) {
    if (error instanceof WebhookShapeError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected a WebhookShapeError');
}

/** A valid envelope around `changes` (one entry). */
const envelope = (changes: unknown[], id: unknown = WABA) => ({
  object: 'whatsapp_business_account',
  entry: [{ id, changes }],
});
const messagesChange = (phoneNumberId?: unknown, extra: Record<string, unknown> = {}) => ({
  field: 'messages',
  value: {
    messaging_product: 'whatsapp',
    ...(phoneNumberId === undefined
      ? {}
      : { metadata: { display_phone_number: DISPLAY, phone_number_id: phoneNumberId } }),
    ...extra,
  },
});

/** Never anything but a WebhookShapeError; and what routes also normalizes without throwing. */
function routesOrRefuses(body: unknown): void {
  let routed: RoutedWebhook;
  try {
    routed = routeWebhook(body);
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookShapeError);
    for (const problem of (error as WebhookShapeError).problems) {
      expect(problem).toMatch(
        /^[a-z_.[\]0-9]+ must be (an object|an array|a non-empty string|a string|a digit string|'whatsapp_business_account')$/,
      );
    }
    return;
  }
  for (const group of routed.byNumber) {
    normalizeChanges(group.changes);
  }
}

/** Every path (as keys) of a JSON value, the root included. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const found = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, index) => found.push(...paths(item, [...prefix, index])));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      found.push(...paths(item, [...prefix, key]));
    }
  }
  return found;
}

/** A deep copy of `value` with the node at `path` replaced by `replacement` (or deleted when undefined). */
function mutate(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) {
    return replacement;
  }
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (replacement === undefined) {
    if (Array.isArray(node)) {
      node.splice(last as number, 1);
    } else {
      delete node[last];
    }
  } else {
    node[last] = replacement;
  }
  return copy;
}

describe('routeWebhook', () => {
  describe('fixtures', () => {
    it('keeps text.json byte-identical to the reference test vector (452 bytes, one line, signed)', () => {
      const bytes = readFileSync(join(FIXTURES, 'text.json'));
      expect(bytes.length).toBe(452);
      expect(bytes.includes('\n')).toBe(false);
      expect(bytes.toString('utf8')).toContain('hor\\u00e1rio');
      expect(`sha256=${createHmac('sha256', 'test_app_secret').update(bytes).digest('hex')}`).toBe(
        'sha256=1936993828f1f4904e40a6db1699fa24bda16dbe0cee4435e6ab07e5123ae412',
      );
    });

    it('has a route for every fixture file, and a file for every route', () => {
      expect(fixtureNames()).toEqual(Object.keys(ROUTES).sort());
    });

    it.each(fixtureNames())('routes %s', (name) => {
      const expected = ROUTES[name];
      const routed = routeWebhook(loadFixture(name));
      expect(
        routed.byNumber.map((group) => [group.phoneNumberId, group.displayPhoneNumber, group.changes.length]),
      ).toEqual(expected.numbers ?? [[PN, DISPLAY, 1]]);
      expect(routed.byNumber.every((group) => group.wabaId === WABA)).toBe(true);
      expect(routed.unroutable).toEqual((expected.unroutable ?? []).map((field) => ({ wabaId: WABA, field })));
      expect(routed.itemCount).toBe(expected.items);
    });

    it("counts the items of each number, adding up to the body's total", () => {
      const routed = routeWebhook(loadFixture('batched'));
      expect(routed.byNumber.every((group) => group.itemCount > 0)).toBe(true);
      expect(routed.byNumber.reduce((sum, group) => sum + group.itemCount, 0)).toBe(routed.itemCount);
    });

    it('merges a number across entries in body order, passing the change values through untouched', () => {
      const body = loadFixture('batched') as { entry: { changes: { value: unknown }[] }[] };
      const [first, second] = routeWebhook(body).byNumber;
      expect(first.changes.map((change) => change.value)).toEqual([
        body.entry[0].changes[0].value,
        body.entry[1].changes[0].value,
      ]);
      expect(first.changes[0].value).toBe(body.entry[0].changes[0].value);
      expect(second.changes.map((change) => change.value)).toEqual([
        body.entry[0].changes[1].value,
        body.entry[1].changes[1].value,
      ]);
    });
  });

  describe('envelope', () => {
    it('accepts an empty batch', () => {
      expect(routeWebhook({ object: 'whatsapp_business_account', entry: [] })).toEqual({
        byNumber: [],
        unroutable: [],
        itemCount: 0,
      });
      expect(routeWebhook(envelope([]))).toEqual({ byNumber: [], unroutable: [], itemCount: 0 });
    });

    it.each([[null], [[]], ['{}'], [1], [true], [undefined]])('refuses a body that is not an object: %p', (body) => {
      expect(shapeProblems(body)).toEqual(['body must be an object']);
    });

    it.each([
      [{ entry: [] }, ["object must be 'whatsapp_business_account'"]],
      [{ object: 'page', entry: [] }, ["object must be 'whatsapp_business_account'"]],
      [{ object: 'whatsapp_business_account' }, ['entry must be an array']],
      [{ object: 'whatsapp_business_account', entry: {} }, ['entry must be an array']],
      [{ object: 'instagram', entry: 'x' }, ["object must be 'whatsapp_business_account'", 'entry must be an array']],
      [{ object: 'whatsapp_business_account', entry: [null] }, ['entry[0] must be an object']],
      [envelope([], 1), ['entry[0].id must be a non-empty string']],
      [envelope([], ''), ['entry[0].id must be a non-empty string']],
      [{ object: 'whatsapp_business_account', entry: [{ id: WABA }] }, ['entry[0].changes must be an array']],
      [
        { object: 'whatsapp_business_account', entry: [{ id: 5, changes: {} }] },
        ['entry[0].id must be a non-empty string', 'entry[0].changes must be an array'],
      ],
      [envelope([messagesChange(PN), 'x']), ['entry[0].changes[1] must be an object']],
      [envelope([{ value: {} }]), ['entry[0].changes[0].field must be a string']],
      [envelope([{ field: 7, value: {} }]), ['entry[0].changes[0].field must be a string']],
      [envelope([{ field: 'messages' }]), ['entry[0].changes[0].value must be an object']],
      [envelope([{ field: 'messages', value: [] }]), ['entry[0].changes[0].value must be an object']],
      [
        envelope([{ field: 'messages', value: { metadata: 'x' } }]),
        ['entry[0].changes[0].value.metadata must be an object'],
      ],
      ...[109876543210987, '', '10987654321098a', ' 109876543210987', '+109876543210987', '1'.repeat(33)].map(
        (id): [unknown, string[]] => [
          envelope([messagesChange(id)]),
          ['entry[0].changes[0].value.metadata.phone_number_id must be a digit string'],
        ],
      ),
    ])('refuses %j', (body, problems) => {
      expect(shapeProblems(body)).toEqual(problems);
    });

    it('lists problems from several entries and changes', () => {
      const body = {
        object: 'whatsapp_business_account',
        entry: [
          { id: WABA, changes: [messagesChange(PN), { field: 'messages', value: 1 }] },
          { id: WABA, changes: 'x' },
        ],
      };
      expect(shapeProblems(body)).toEqual([
        'entry[0].changes[1].value must be an object',
        'entry[1].changes must be an array',
      ]);
    });

    it(`stops after ${MAX_SHAPE_PROBLEMS} problems`, () => {
      const body = { object: 'whatsapp_business_account', entry: Array.from({ length: 1000 }, () => 'x') };
      const problems = shapeProblems(body);
      expect(problems).toHaveLength(MAX_SHAPE_PROBLEMS);
      expect(problems[MAX_SHAPE_PROBLEMS - 1]).toBe(`entry[${MAX_SHAPE_PROBLEMS - 1}] must be an object`);
    });

    it('never puts a value in the error', () => {
      const error = (() => {
        try {
          routeWebhook(envelope([messagesChange('5511987654321x')], { name: 'Ana Souza' }));
        } catch (caught) {
          return caught as Error;
        }
        throw new Error('expected a WebhookShapeError');
      })();
      expect(error.name).toBe('WebhookShapeError');
      expect(error.message).not.toContain('5511987654321');
      expect(error.message).not.toContain('Ana');
    });

    it('reads own properties only', () => {
      const inherited = Object.create({ object: 'whatsapp_business_account', entry: [] }) as object;
      expect(shapeProblems(inherited)).toEqual([
        "object must be 'whatsapp_business_account'",
        'entry must be an array',
      ]);
    });
  });

  describe('grouping', () => {
    it('sends changes without a phone number id to unroutable, whatever their field', () => {
      const routed = routeWebhook(
        envelope([
          { field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } },
          { field: 'messages', value: { metadata: { display_phone_number: DISPLAY }, messages: [1, 2] } },
        ]),
      );
      expect(routed).toEqual({
        byNumber: [],
        unroutable: [
          { wabaId: WABA, field: 'account_update' },
          { wabaId: WABA, field: 'messages' },
        ],
        itemCount: 2,
      });
    });

    it('keeps the first WABA id and fills in a missing display number from a later change', () => {
      const withoutDisplay = { field: 'messages', value: { metadata: { phone_number_id: PN } } };
      const body = {
        object: 'whatsapp_business_account',
        entry: [
          { id: WABA, changes: [withoutDisplay] },
          { id: '880099999999999', changes: [messagesChange(PN)] },
        ],
      };
      const [group] = routeWebhook(body).byNumber;
      expect(group).toMatchObject({ phoneNumberId: PN, wabaId: WABA, displayPhoneNumber: DISPLAY });
      expect(group.changes).toHaveLength(2);
    });

    it('drops a malformed display number instead of refusing the body', () => {
      const change = {
        field: 'messages',
        value: { metadata: { phone_number_id: PN, display_phone_number: 15551230000 } },
      };
      const [group] = routeWebhook(envelope([change])).byNumber;
      expect(group).not.toHaveProperty('displayPhoneNumber');
      const tooLong = {
        field: 'messages',
        value: { metadata: { phone_number_id: PN, display_phone_number: '1'.repeat(33) } },
      };
      expect(routeWebhook(envelope([tooLong])).byNumber[0]).not.toHaveProperty('displayPhoneNumber');
    });

    it('counts messages, statuses, user_preferences and errors arrays only', () => {
      const routed = routeWebhook(
        envelope([
          messagesChange(PN, { messages: [1, 2], statuses: [3], errors: [4], contacts: [5, 6, 7] }),
          { field: 'user_preferences', value: { metadata: { phone_number_id: PN }, user_preferences: [1, 2, 3] } },
          messagesChange(PN2, { messages: 'not an array', statuses: { 0: 1 } }),
        ]),
      );
      expect(routed.itemCount).toBe(7);
    });

    it('groups any valid body by number in first-seen order, losing and reordering nothing', () => {
      const change = fc.record({
        field: fc.constantFrom('messages', 'user_preferences', 'account_update'),
        value: fc.record(
          {
            metadata: fc.record({ phone_number_id: fc.constantFrom('10', '11', '12') }, { requiredKeys: [] }),
            messages: fc.array(fc.jsonValue(), { maxLength: 3 }),
            statuses: fc.array(fc.jsonValue(), { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
      });
      const body = fc.record({
        object: fc.constant('whatsapp_business_account'),
        entry: fc.array(fc.record({ id: fc.constantFrom('1', '2'), changes: fc.array(change, { maxLength: 4 }) }), {
          maxLength: 4,
        }),
      });
      fc.assert(
        fc.property(body, (generated) => {
          const routed = routeWebhook(generated);
          const all = generated.entry.flatMap((entry) => entry.changes.map((item) => ({ wabaId: entry.id, item })));
          const numberOf = (item: (typeof all)[number]['item']) => item.value.metadata?.phone_number_id;
          const order = [...new Set(all.map(({ item }) => numberOf(item)).filter((id) => id !== undefined))];
          expect(routed.byNumber.map((group) => group.phoneNumberId)).toEqual(order);
          for (const group of routed.byNumber) {
            const mine = all.filter(({ item }) => numberOf(item) === group.phoneNumberId);
            expect(group.changes).toEqual(mine.map(({ item }) => item));
            expect(group.wabaId).toBe(mine[0].wabaId);
          }
          expect(routed.unroutable).toEqual(
            all
              .filter(({ item }) => numberOf(item) === undefined)
              .map(({ wabaId, item }) => ({ wabaId, field: item.field })),
          );
          expect(routed.itemCount).toBe(
            all.reduce(
              (sum, { item }) => sum + (item.value.messages?.length ?? 0) + (item.value.statuses?.length ?? 0),
              0,
            ),
          );
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('hostile input', () => {
    it('throws nothing but WebhookShapeError on arbitrary JSON values', () => {
      fc.assert(fc.property(fc.jsonValue(), routesOrRefuses), { numRuns: 1000 });
    });

    it('throws nothing but WebhookShapeError on arbitrary JSON text', () => {
      fc.assert(
        fc.property(fc.json(), (text) => routesOrRefuses(JSON.parse(text))),
        { numRuns: 500 },
      );
    });

    it('throws nothing but WebhookShapeError on mutated fixtures (replaced or deleted nodes)', () => {
      const fixtures = fixtureNames().map((name) => {
        const body = loadFixture(name);
        return { body, paths: paths(body) };
      });
      const mutation = fc
        .nat({ max: fixtures.length - 1 })
        .chain((index) =>
          fc.tuple(
            fc.constant(fixtures[index]),
            fc.nat({ max: fixtures[index].paths.length - 1 }),
            fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
          ),
        );
      fc.assert(
        fc.property(mutation, ([fixture, pathIndex, replacement]) => {
          routesOrRefuses(mutate(fixture.body, fixture.paths[pathIndex], replacement));
        }),
        { numRuns: 2000 },
      );
    });
  });
});
