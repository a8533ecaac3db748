import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from '@trustline/compliance';
import { OUTBOUND_PURPOSES } from '@trustline/contracts';
import fc from 'fast-check';
import {
  decisiveHoldChanges,
  holdChangeApplies,
  holdRefusal,
  keywordHoldChange,
  type DatedHoldChange,
} from './contact-hold.rules';

const text = (body: string) => ({ type: 'text', content: { text: body } });
const templateButton = (payload: string) => ({
  type: 'button',
  content: {},
  interaction: { kind: 'template_button', id: payload },
});
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, second));

describe('keywordHoldChange', () => {
  it.each(['STOP', 'stop', ' Stop! ', 'BAJA', 'sair', 'Parar', 'opt out', 'CANCELAR 🛑'])('holds on %p', (body) => {
    expect(keywordHoldChange(text(body))).toBe('hold');
  });

  it.each(['START', 'unstop', 'ALTA', 'Voltar', 'opt-in', 'iniciar'])('lifts on %p', (body) => {
    expect(keywordHoldChange(text(body))).toBe('lift');
  });

  it('knows every keyword of both lists, as consent does', () => {
    for (const { keyword } of OPT_OUT_KEYWORDS) {
      expect(keywordHoldChange(text(keyword.toUpperCase()))).toBe('hold');
    }
    for (const { keyword } of OPT_IN_KEYWORDS) {
      expect(keywordHoldChange(text(keyword))).toBe('lift');
    }
  });

  it.each(['please stop sending me this', 'stop by tomorrow', 'STOP 2', 'stopp', 'Olá', ''])(
    'leaves the hold alone for a sentence or a non-keyword: %p',
    (body) => {
      expect(keywordHoldChange(text(body))).toBeUndefined();
    },
  );

  it('reads a template quick-reply by its payload', () => {
    expect(keywordHoldChange(templateButton('STOP'))).toBe('hold');
    expect(keywordHoldChange(templateButton('START'))).toBe('lift');
    expect(keywordHoldChange(templateButton('BOOK_APPOINTMENT'))).toBeUndefined();
  });

  it('ignores interactive replies (their ids are ours, not the user’s words), captions and other types', () => {
    expect(
      keywordHoldChange({ type: 'interactive', content: {}, interaction: { kind: 'button_reply', id: 'STOP' } }),
    ).toBeUndefined();
    expect(
      keywordHoldChange({ type: 'interactive', content: {}, interaction: { kind: 'list_reply', id: 'stop' } }),
    ).toBeUndefined();
    expect(keywordHoldChange({ type: 'image', content: { text: 'STOP' } })).toBeUndefined();
    expect(keywordHoldChange({ type: 'system', content: {} })).toBeUndefined();
    expect(keywordHoldChange({ type: 'text', content: {} })).toBeUndefined();
  });
});

describe('holdChangeApplies', () => {
  it('applies anything to a contact whose hold never changed', () => {
    expect(holdChangeApplies('hold', at(0), null)).toBe(true);
    expect(holdChangeApplies('lift', at(0), null)).toBe(true);
  });

  it('ignores a change older than the last one (out-of-order delivery)', () => {
    expect(holdChangeApplies('hold', at(1), at(2))).toBe(false);
    expect(holdChangeApplies('lift', at(1), at(2))).toBe(false);
  });

  it('applies a newer change', () => {
    expect(holdChangeApplies('hold', at(3), at(2))).toBe(true);
    expect(holdChangeApplies('lift', at(3), at(2))).toBe(true);
  });

  it('at the same second, lets the hold win: an opt-out applies, an opt-in does not', () => {
    expect(holdChangeApplies('hold', at(2), at(2))).toBe(true);
    expect(holdChangeApplies('lift', at(2), at(2))).toBe(false);
  });
});

describe('decisiveHoldChanges', () => {
  const change = (contactRef: string, kind: 'hold' | 'lift', second: number, tenantId = 't'): DatedHoldChange => ({
    tenantId,
    contactRef,
    change: kind,
    sentAt: at(second),
  });

  it('keeps the newest change per contact, whatever order the batch lists them in', () => {
    expect(decisiveHoldChanges([change('a', 'lift', 5), change('a', 'hold', 3), change('b', 'hold', 1)])).toEqual([
      change('a', 'lift', 5),
      change('b', 'hold', 1),
    ]);
    expect(decisiveHoldChanges([change('a', 'hold', 3), change('a', 'lift', 5)])).toEqual([change('a', 'lift', 5)]);
  });

  it('keeps the hold when an opt-out and an opt-in share the same second, in either order', () => {
    expect(decisiveHoldChanges([change('a', 'hold', 4), change('a', 'lift', 4)])).toEqual([change('a', 'hold', 4)]);
    expect(decisiveHoldChanges([change('a', 'lift', 4), change('a', 'hold', 4)])).toEqual([change('a', 'hold', 4)]);
  });

  it('keeps tenants apart', () => {
    expect(decisiveHoldChanges([change('a', 'hold', 1, 't1'), change('a', 'lift', 2, 't2')])).toHaveLength(2);
  });

  it('gives the same result as applying the changes one by one in any delivery order (property)', () => {
    const arbitrary = fc.array(
      fc.record({ kind: fc.constantFrom<'hold' | 'lift'>('hold', 'lift'), second: fc.nat(5) }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(arbitrary, (items) => {
        const changes = items.map(({ kind, second }) => change('a', kind, second));
        // One by one, as separate deliveries would apply them against the stored last change.
        let last: DatedHoldChange | undefined;
        for (const next of changes) {
          if (holdChangeApplies(next.change, next.sentAt, last?.sentAt ?? null)) {
            last = next;
          }
        }
        const [decisive] = decisiveHoldChanges(changes);
        expect(decisive.change).toBe(last!.change);
        expect(decisive.sentAt).toEqual(last!.sentAt);
        // And the outcome does not depend on the order they arrived in.
        const [reversed] = decisiveHoldChanges([...changes].reverse());
        expect(reversed.change).toBe(decisive.change);
      }),
    );
  });
});

describe('holdRefusal', () => {
  const free = { suppressed: false, marketingStopped: false };

  it('refuses everything but the opt-out confirmation while the hold is set', () => {
    for (const purpose of OUTBOUND_PURPOSES) {
      expect(holdRefusal({ suppressed: true, marketingStopped: false }, purpose)).toBe(
        purpose === 'opt-out-confirmation' ? undefined : 'suppressed',
      );
    }
  });

  it('refuses marketing only after a marketing stop', () => {
    for (const purpose of OUTBOUND_PURPOSES) {
      expect(holdRefusal({ suppressed: false, marketingStopped: true }, purpose)).toBe(
        purpose === 'marketing' ? 'marketing-opt-out' : undefined,
      );
    }
  });

  it('refuses nothing without a hold, and names the opt-out first when both apply', () => {
    for (const purpose of OUTBOUND_PURPOSES) {
      expect(holdRefusal(free, purpose)).toBeUndefined();
    }
    expect(holdRefusal({ suppressed: true, marketingStopped: true }, 'marketing')).toBe('suppressed');
    expect(holdRefusal({ suppressed: true, marketingStopped: true }, 'opt-out-confirmation')).toBeUndefined();
  });
});
