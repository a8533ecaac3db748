/** Reply headers that tell a requester its responder failed (class name, and contract-violation field names). */
export const RPC_ERROR_HEADERS = {
  error: 'Trustline-Rpc-Error',
  detail: 'Trustline-Rpc-Error-Detail',
} as const;

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
