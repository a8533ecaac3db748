import { ConsentRecordV1 } from './consent-record.v1';

/**
 * consent appended a record to its ledger (prompt shown, grant, decline, withdrawal, WhatsApp setting). Carries no
 * personal data: the subject is the opaque contact reference, evidence is ids and timestamps. audit keeps it.
 */
export class ConsentDecisionRecordedV1 extends ConsentRecordV1 {}
