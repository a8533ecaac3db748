import { Module } from '@nestjs/common';
import { ConsentLedgerService } from './consent-ledger.service';

/** The append-only consent ledger and the per-purpose state derived from it. */
@Module({
  providers: [ConsentLedgerService],
  exports: [ConsentLedgerService],
})
export class LedgerModule {}
