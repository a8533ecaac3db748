import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasBearer, metaError, type MetaErrorResponse } from '../graph/meta-error.rules';
import { BodyTooLargeError } from '../http/body-too-large.error';
import { readBody, sendBytes, sendJson } from '../http/http.io';
import { newMediaId } from '../ids.rules';
import type { SimulatorState, StoredMedia } from '../state/simulator.state';
import { MAX_MEDIA_BYTES, validateUpload } from './media.rules';

// Multipart framing around the 100 MB file.
const MAX_UPLOAD_BYTES = MAX_MEDIA_BYTES + 1024 * 1024;

function reply(response: ServerResponse, error: MetaErrorResponse): void {
  sendJson(response, error.httpStatus, error.body);
}

/** Media as Meta keeps it for a WABA: upload (multipart), look up (URL, hash, size), download, delete. In memory. */
export class MediaHandler {
  constructor(
    private readonly state: SimulatorState,
    private readonly baseUrl: () => string,
  ) {}

  async upload(request: IncomingMessage, response: ServerResponse, phoneNumberId: string): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(request, MAX_UPLOAD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return reply(response, metaError(131053, { details: `file must be at most ${MAX_MEDIA_BYTES} bytes` }));
      }
      throw error;
    }
    if (!hasBearer(request.headers.authorization, this.state.options.accessToken)) {
      return reply(response, metaError(190));
    }
    if (this.state.numberById(phoneNumberId) === undefined) {
      return reply(response, metaError(100, { details: 'Unsupported post request: no phone number with this ID' }));
    }
    let form: FormData;
    try {
      form = await new Request('http://simulator.invalid/media', {
        method: 'POST',
        headers: { 'content-type': request.headers['content-type'] ?? '' },
        body,
        duplex: 'half',
      }).formData();
    } catch {
      return reply(response, metaError(100, { details: 'The body must be multipart/form-data' }));
    }
    const file = form.get('file');
    const type = form.get('type') ?? undefined;
    const violation = validateUpload({
      messagingProduct: form.get('messaging_product') ?? undefined,
      type,
      fileSize: file instanceof Blob ? file.size : undefined,
    });
    if (violation !== undefined || !(file instanceof Blob) || typeof type !== 'string') {
      return reply(response, metaError(violation?.code ?? 131008, violation ? { details: violation.details } : {}));
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const id = newMediaId();
    this.state.media.set(id, {
      id,
      phoneNumberId,
      mimeType: type,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes,
    });
    this.state.options.log(`media uploaded: ${bytes.length} bytes`);
    sendJson(response, 200, { id });
  }

  info(request: IncomingMessage, response: ServerResponse, mediaId: string): void {
    const media = this.authorizedMedia(request, response, mediaId, 'get');
    if (media !== undefined) {
      sendJson(response, 200, {
        messaging_product: 'whatsapp',
        url: `${this.baseUrl()}/_sim/media/${media.id}`,
        mime_type: media.mimeType,
        sha256: media.sha256,
        file_size: media.bytes.length,
        id: media.id,
      });
    }
  }

  delete(request: IncomingMessage, response: ServerResponse, mediaId: string): void {
    if (this.authorizedMedia(request, response, mediaId, 'delete') !== undefined) {
      this.state.media.delete(mediaId);
      sendJson(response, 200, { success: true });
    }
  }

  download(request: IncomingMessage, response: ServerResponse, mediaId: string): void {
    const media = this.authorizedMedia(request, response, mediaId, 'get');
    if (media !== undefined) {
      sendBytes(response, 200, media.mimeType, media.bytes);
    }
  }

  private authorizedMedia(
    request: IncomingMessage,
    response: ServerResponse,
    mediaId: string,
    verb: string,
  ): StoredMedia | undefined {
    request.resume();
    if (!hasBearer(request.headers.authorization, this.state.options.accessToken)) {
      reply(response, metaError(190));
      return undefined;
    }
    const media = this.state.media.get(mediaId);
    if (media === undefined) {
      reply(response, metaError(100, { details: `Unsupported ${verb} request: no media with this ID` }));
    }
    return media;
  }
}
