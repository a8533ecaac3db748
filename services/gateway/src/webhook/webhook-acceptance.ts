/** What the edge made of one POST: each maps to one HTTP answer (401, 403, 400, 200). */
export type WebhookAcceptance =
  | { readonly outcome: 'unsigned' }
  | { readonly outcome: 'forged' }
  | { readonly outcome: 'malformed'; readonly problems: readonly string[] }
  | { readonly outcome: 'accepted'; readonly routed: number; readonly unrouted: number };
