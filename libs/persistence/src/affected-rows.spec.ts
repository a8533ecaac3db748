import { affectedRows } from './affected-rows';

describe(affectedRows.name, () => {
  it('reads the count of a raw UPDATE or DELETE, and 0 for anything else', () => {
    expect(affectedRows([[], 3])).toBe(3);
    expect(affectedRows([[{ id: 1 }], 0])).toBe(0);
    expect(affectedRows([{ id: 1 }])).toBe(0);
    expect(affectedRows(undefined)).toBe(0);
  });
});
