import { DataSource } from 'typeorm';
import { tablePath } from './table-path';

describe('tablePath', () => {
  it('qualifies the table with the DataSource schema, quoting both', () => {
    const dataSource = new DataSource({ type: 'postgres', schema: 'conversation_ai' });
    expect(tablePath(dataSource, 'outbox_event')).toBe('"conversation_ai"."outbox_event"');
  });

  it('leaves the table unqualified without a schema, and escapes quotes', () => {
    const dataSource = new DataSource({ type: 'postgres' });
    expect(tablePath(dataSource, 'odd"name')).toBe('"odd""name"');
  });
});
