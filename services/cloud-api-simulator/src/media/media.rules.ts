/** Cloud API media upload cap (documents; other types are smaller on Meta, one cap is enough for a fake). */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

const MIME_SHAPE = /^[a-z]+\/[a-z0-9][\w.+-]*(\s*;.*)?$/i;

export interface UploadFields {
  messagingProduct: unknown;
  type: unknown;
  /** Size of the `file` part in bytes, or undefined when there is no file part. */
  fileSize: number | undefined;
}

export interface UploadViolation {
  code: 100 | 131008 | 131009 | 131053;
  details: string;
}

/** Checks the multipart fields of `POST /{phone-number-id}/media`. */
export function validateUpload(fields: UploadFields): UploadViolation | undefined {
  if (fields.messagingProduct === undefined) {
    return { code: 100, details: 'messaging_product is required' };
  }
  if (fields.messagingProduct !== 'whatsapp') {
    return { code: 100, details: 'messaging_product must be whatsapp' };
  }
  if (fields.fileSize === undefined) {
    return { code: 131008, details: 'file is required' };
  }
  if (fields.fileSize === 0) {
    return { code: 131053, details: 'file is empty' };
  }
  if (fields.fileSize > MAX_MEDIA_BYTES) {
    return { code: 131053, details: `file must be at most ${MAX_MEDIA_BYTES} bytes` };
  }
  if (fields.type === undefined) {
    return { code: 131008, details: 'type is required' };
  }
  if (typeof fields.type !== 'string' || !MIME_SHAPE.test(fields.type)) {
    return { code: 131009, details: 'type must be a MIME type such as application/pdf' };
  }
  return undefined;
}
