import { MAX_MEDIA_BYTES, validateUpload } from './media.rules';

const valid = { messagingProduct: 'whatsapp', type: 'application/pdf', fileSize: 10 };

describe('validateUpload', () => {
  it('accepts a file with a MIME type, up to 100 MB', () => {
    expect(validateUpload(valid)).toBeUndefined();
    expect(validateUpload({ ...valid, fileSize: MAX_MEDIA_BYTES })).toBeUndefined();
    expect(validateUpload({ ...valid, type: 'audio/ogg; codecs=opus' })).toBeUndefined();
    expect(
      validateUpload({ ...valid, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }),
    ).toBeUndefined();
  });

  it.each([
    [{ messagingProduct: undefined }, 100],
    [{ messagingProduct: 'sms' }, 100],
    [{ fileSize: undefined }, 131008],
    [{ fileSize: 0 }, 131053],
    [{ fileSize: MAX_MEDIA_BYTES + 1 }, 131053],
    [{ type: undefined }, 131008],
    [{ type: 'pdf' }, 131009],
    [{ type: 7 }, 131009],
  ])('rejects %p with code %i', (patch, code) => {
    expect(validateUpload({ ...valid, ...patch })?.code).toBe(code);
  });
});
