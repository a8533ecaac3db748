/** What a request to the simulator asks for, from its method and path (query string excluded). */
export type Route =
  | { kind: 'send'; phoneNumberId: string }
  | { kind: 'media-upload'; phoneNumberId: string }
  | { kind: 'media-info'; mediaId: string }
  | { kind: 'media-delete'; mediaId: string }
  | { kind: 'media-download'; mediaId: string }
  | { kind: 'graph-unknown' }
  | { kind: 'sim'; method: string; action: string }
  | { kind: 'not-found' };

const VERSION = String.raw`v\d+\.\d+`;
const SEGMENT = '([^/]+)';
const SEND = new RegExp(`^/${VERSION}/${SEGMENT}/messages/?$`);
const MEDIA_UPLOAD = new RegExp(`^/${VERSION}/${SEGMENT}/media/?$`);
const NODE = new RegExp(`^/${VERSION}/${SEGMENT}/?$`);
const GRAPH = new RegExp(`^/${VERSION}(/|$)`);
const MEDIA_DOWNLOAD = /^\/_sim\/media\/([^/]+)$/;
const SIM = /^\/_sim\/([\w-]+)$/;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchRoute(method: string, path: string): Route {
  let match: RegExpExecArray | null;
  if ((match = SEND.exec(path)) && method === 'POST') {
    return { kind: 'send', phoneNumberId: decode(match[1]) };
  }
  if ((match = MEDIA_UPLOAD.exec(path)) && method === 'POST') {
    return { kind: 'media-upload', phoneNumberId: decode(match[1]) };
  }
  if ((match = NODE.exec(path)) && (method === 'GET' || method === 'DELETE')) {
    const mediaId = decode(match[1]);
    return method === 'GET' ? { kind: 'media-info', mediaId } : { kind: 'media-delete', mediaId };
  }
  if (GRAPH.test(path)) {
    return { kind: 'graph-unknown' };
  }
  if ((match = MEDIA_DOWNLOAD.exec(path)) && method === 'GET') {
    return { kind: 'media-download', mediaId: decode(match[1]) };
  }
  if ((match = SIM.exec(path))) {
    return { kind: 'sim', method, action: match[1] };
  }
  return { kind: 'not-found' };
}
