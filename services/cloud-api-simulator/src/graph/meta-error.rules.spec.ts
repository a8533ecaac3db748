import { hasBearer, META_ERRORS, metaError } from './meta-error.rules';

describe('metaError', () => {
  it('builds Meta error bodies: "(#code) title", details and a trace id', () => {
    expect(metaError(130429)).toEqual({
      httpStatus: 429,
      body: {
        error: {
          message: '(#130429) Rate limit hit',
          type: 'OAuthException',
          code: 130429,
          error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
          fbtrace_id: expect.stringMatching(/^A[\w-]{22}$/),
        },
      },
    });
  });

  it('answers auth failures with 401 and no error_data', () => {
    const { httpStatus, body } = metaError(190);
    expect(httpStatus).toBe(401);
    expect(body.error.message).toMatch(/^\(#190\) /);
    expect(body.error.error_data).toBeUndefined();
  });

  it.each([
    [4, 429],
    [80007, 429],
    [130429, 429],
    [131056, 400],
    [131047, 400],
    [131026, 400],
    [131050, 400],
    [368, 400],
    [131000, 500],
    [131016, 500],
    [131057, 400],
    [100, 400],
    [131008, 400],
    [131009, 400],
  ])('answers code %i with HTTP %i by default', (code, status) => {
    const error = metaError(code);
    expect(error.httpStatus).toBe(status);
    expect(error.body.error.message).toBe(`(#${code}) ${META_ERRORS[code].title}`);
    expect(error.body.error.error_data?.details).toBe(META_ERRORS[code].details);
  });

  it('takes specific details and HTTP status', () => {
    const error = metaError(131009, { details: 'text.body must be 1 to 4096 characters', httpStatus: 422 });
    expect(error.httpStatus).toBe(422);
    expect(error.body.error.error_data?.details).toBe('text.body must be 1 to 4096 characters');
  });

  it('still answers a code it does not know', () => {
    expect(metaError(999).body.error).toMatchObject({ code: 999, message: '(#999) Simulated error' });
    expect(metaError(999).httpStatus).toBe(400);
  });

  it('gives each error its own trace id', () => {
    expect(metaError(100).body.error.fbtrace_id).not.toBe(metaError(100).body.error.fbtrace_id);
  });
});

describe('hasBearer', () => {
  it.each([
    ['Bearer tok', true],
    ['bearer tok', true],
    ['BEARER  tok ', true],
    ['Bearer other', false],
    ['Bearer', false],
    ['tok', false],
    ['Basic tok', false],
    [undefined, false],
  ])('%p → %p', (header, expected) => {
    expect(hasBearer(header, 'tok')).toBe(expected);
  });
});
