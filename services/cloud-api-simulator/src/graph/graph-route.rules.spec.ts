import { matchRoute } from './graph-route.rules';

describe('matchRoute', () => {
  it.each([
    ['POST', '/v25.0/100000000000001/messages', { kind: 'send', phoneNumberId: '100000000000001' }],
    ['POST', '/v19.0/123/messages/', { kind: 'send', phoneNumberId: '123' }],
    ['POST', '/v25.0/123/media', { kind: 'media-upload', phoneNumberId: '123' }],
    ['GET', '/v25.0/1555', { kind: 'media-info', mediaId: '1555' }],
    ['DELETE', '/v25.0/1555', { kind: 'media-delete', mediaId: '1555' }],
    ['GET', '/_sim/media/1555', { kind: 'media-download', mediaId: '1555' }],
    ['GET', '/v25.0/123/messages', { kind: 'graph-unknown' }],
    ['POST', '/v25.0/123/other', { kind: 'graph-unknown' }],
    ['POST', '/v25.0', { kind: 'graph-unknown' }],
    ['POST', '/_sim/inbound', { kind: 'sim', method: 'POST', action: 'inbound' }],
    ['GET', '/_sim/user-preferences', { kind: 'sim', method: 'GET', action: 'user-preferences' }],
    ['POST', '/v25/123/messages', { kind: 'not-found' }],
    ['GET', '/', { kind: 'not-found' }],
    ['GET', '/_sim/a/b', { kind: 'not-found' }],
  ])('%s %s', (method, path, route) => {
    expect(matchRoute(method, path)).toEqual(route);
  });

  it('decodes path segments and keeps malformed ones as they are', () => {
    expect(matchRoute('GET', '/v25.0/a%20b')).toEqual({ kind: 'media-info', mediaId: 'a b' });
    expect(matchRoute('GET', '/v25.0/%E0%A4%A')).toEqual({ kind: 'media-info', mediaId: '%E0%A4%A' });
  });
});
