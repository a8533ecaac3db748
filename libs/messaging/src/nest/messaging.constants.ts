/** Injection token of the MessageBus given to MessagingModule.forRoot. */
export const MESSAGE_BUS = Symbol('trustline:message-bus');

/** Injection token of the ServiceName this application publishes and consumes as. */
export const MESSAGING_SERVICE = Symbol('trustline:messaging-service');

export const ON_EVENT_METADATA = 'trustline:messaging:on-event';
export const ON_REQUEST_METADATA = 'trustline:messaging:on-request';
