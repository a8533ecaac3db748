/** Injection token of the service's DataHolder inside DataHolderModule (the holder class is provided too). */
export const DATA_HOLDER = Symbol('trustline:data-holder');

/** Injection token of the service the holder answers for: it names the export subject and the receipt subject. */
export const DATA_HOLDER_SERVICE = Symbol('trustline:data-holder-service');
