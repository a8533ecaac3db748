import { createSecretKey, randomBytes } from 'node:crypto';
import { openFrame, sealFrame } from './aead-frame';

describe('AEAD frame nonces', () => {
  const key = createSecretKey(randomBytes(32));
  const place = Buffer.from('tenant/subject/field');
  const seal = () => sealFrame(key, 2, (out) => out.writeUInt16BE(0xabcd, 0), Buffer.from('same text'), place);

  it('never repeats a nonce across pool refills, and every frame still opens', () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 2_000; i += 1) {
      const frame = seal();
      nonces.add(frame.subarray(6, 18).toString('hex'));
      expect(openFrame(key, frame, 2, place, 'field').toString()).toBe('same text');
    }
    expect(nonces.size).toBe(2_000);
  });
});
