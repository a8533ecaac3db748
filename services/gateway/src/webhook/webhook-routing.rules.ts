import { WebhookShapeError } from './webhook-shape.error';

/** One change of a webhook body: `field` names the subscription, `value` is its payload (still unvalidated). */
export interface WebhookChange {
  readonly field: string;
  readonly value: Record<string, unknown>;
}

/** The changes of one business phone number, from every entry of the body. */
export interface NumberChanges {
  readonly phoneNumberId: string;
  readonly displayPhoneNumber?: string;
  readonly wabaId: string;
  readonly changes: readonly WebhookChange[];
  /** messages + statuses + user_preferences + errors in this number's changes. */
  readonly itemCount: number;
}

export interface RoutedWebhook {
  /** Grouped by `value.metadata.phone_number_id`, in first-seen order, merged across entries. */
  readonly byNumber: readonly NumberChanges[];
  /** Changes without a phone number id (account_update, template status, ...): the WABA's, not a number's. */
  readonly unroutable: readonly { wabaId: string; field: string }[];
  /** messages + statuses + user_preferences + errors over all changes: the work the body carries. */
  readonly itemCount: number;
}

export const WEBHOOK_OBJECT = 'whatsapp_business_account';

/** Phone number ids are 15–16 digits today; the bound only stops a hostile key from growing without limit. */
const PHONE_NUMBER_ID = /^\d{1,32}$/;

/** A bad body is refused as a whole; listing more than this many problems helps nobody and costs allocations. */
export const MAX_SHAPE_PROBLEMS = 20;

/** Keys whose arrays count as items (each is one unit of work for the intake worker). */
const ITEM_KEYS = ['messages', 'statuses', 'user_preferences', 'errors'] as const;

interface MutableGroup {
  readonly phoneNumberId: string;
  displayPhoneNumber?: string;
  readonly wabaId: string;
  readonly changes: WebhookChange[];
  itemCount: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: a key named `constructor` or `__proto__` in the JSON must not reach Object.prototype. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * The edge's cheap pass over a parsed, signature-checked body: checks the envelope and groups the changes by
 * business phone number, without looking inside messages or statuses (the intake worker does that after the 200).
 * One pass over entries and changes; throws WebhookShapeError listing JSON paths when the envelope is wrong.
 */
export function routeWebhook(body: unknown): RoutedWebhook {
  const problems: string[] = [];
  const problem = (text: string): boolean => {
    if (problems.length < MAX_SHAPE_PROBLEMS) {
      problems.push(text);
    }
    return problems.length >= MAX_SHAPE_PROBLEMS;
  };

  if (!isRecord(body)) {
    throw new WebhookShapeError(['body must be an object']);
  }
  if (own(body, 'object') !== WEBHOOK_OBJECT) {
    problem(`object must be '${WEBHOOK_OBJECT}'`);
  }
  const entries = own(body, 'entry');
  if (!Array.isArray(entries)) {
    problem('entry must be an array');
    throw new WebhookShapeError(problems);
  }

  const groups = new Map<string, MutableGroup>();
  const unroutable: { wabaId: string; field: string }[] = [];
  let itemCount = 0;

  scan: for (let e = 0; e < entries.length; e++) {
    const entry: unknown = entries[e];
    if (!isRecord(entry)) {
      if (problem(`entry[${e}] must be an object`)) {
        break;
      }
      continue;
    }
    const wabaId = own(entry, 'id');
    const changes = own(entry, 'changes');
    let entryOk = true;
    if (typeof wabaId !== 'string' || wabaId.length === 0) {
      entryOk = false;
      if (problem(`entry[${e}].id must be a non-empty string`)) {
        break;
      }
    }
    if (!Array.isArray(changes)) {
      if (problem(`entry[${e}].changes must be an array`)) {
        break;
      }
      continue;
    }
    for (let c = 0; c < changes.length; c++) {
      const change: unknown = changes[c];
      const path = `entry[${e}].changes[${c}]`;
      if (!isRecord(change)) {
        if (problem(`${path} must be an object`)) {
          break scan;
        }
        continue;
      }
      const field = own(change, 'field');
      const value = own(change, 'value');
      let changeOk = entryOk;
      if (typeof field !== 'string') {
        changeOk = false;
        if (problem(`${path}.field must be a string`)) {
          break scan;
        }
      }
      if (!isRecord(value)) {
        if (problem(`${path}.value must be an object`)) {
          break scan;
        }
        continue;
      }
      let changeItems = 0;
      for (const key of ITEM_KEYS) {
        const items = own(value, key);
        if (Array.isArray(items)) {
          changeItems += items.length;
        }
      }
      itemCount += changeItems;

      const metadata = own(value, 'metadata');
      let phoneNumberId: string | undefined;
      let displayPhoneNumber: string | undefined;
      if (metadata !== undefined) {
        if (!isRecord(metadata)) {
          if (problem(`${path}.value.metadata must be an object`)) {
            break scan;
          }
          continue;
        }
        const id = own(metadata, 'phone_number_id');
        if (id !== undefined) {
          if (typeof id !== 'string' || !PHONE_NUMBER_ID.test(id)) {
            if (problem(`${path}.value.metadata.phone_number_id must be a digit string`)) {
              break scan;
            }
            continue;
          }
          phoneNumberId = id;
        }
        const display = own(metadata, 'display_phone_number');
        // Display only: a malformed one is dropped rather than refusing the body.
        if (typeof display === 'string' && display.length > 0 && display.length <= 32) {
          displayPhoneNumber = display;
        }
      }
      if (!changeOk || problems.length > 0) {
        // The body will be refused: keep validating, stop building.
        continue;
      }
      const checked = { field: field as string, value };
      if (phoneNumberId === undefined) {
        unroutable.push({ wabaId: wabaId as string, field: checked.field });
        continue;
      }
      const group = groups.get(phoneNumberId);
      if (group === undefined) {
        groups.set(phoneNumberId, {
          phoneNumberId,
          wabaId: wabaId as string,
          changes: [checked],
          itemCount: changeItems,
          ...(displayPhoneNumber === undefined ? {} : { displayPhoneNumber }),
        });
      } else {
        // A number belongs to one WABA: the first entry's id stands; the display number fills in if missing.
        group.changes.push(checked);
        group.itemCount += changeItems;
        if (group.displayPhoneNumber === undefined && displayPhoneNumber !== undefined) {
          group.displayPhoneNumber = displayPhoneNumber;
        }
      }
    }
  }

  if (problems.length > 0) {
    throw new WebhookShapeError(problems);
  }
  return { byNumber: [...groups.values()], unroutable, itemCount };
}
