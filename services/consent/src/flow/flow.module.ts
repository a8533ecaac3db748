import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { NoticesModule } from '../notices/notices.module';
import { ConsentFlowHandler } from './consent-flow.handler';
import { ConsentFlowService } from './consent-flow.service';
import { ConsentSubjectsService } from './consent-subjects.service';

/** First contact, opt-in prompt, held messages, decisions, opt-out and opt-in keywords, WhatsApp settings. */
@Module({
  imports: [NoticesModule, LedgerModule],
  providers: [ConsentSubjectsService, ConsentFlowService, ConsentFlowHandler],
  exports: [ConsentSubjectsService],
})
export class FlowModule {}
