import { Module } from '@nestjs/common';
import { GatewayDataHolder } from './gateway-data-holder';
import { PersonalDataHandler } from './personal-data.handler';

/** The gateway's part of access, rectification, erasure and retention: the data-holder contract. */
@Module({
  providers: [GatewayDataHolder, PersonalDataHandler],
  exports: [GatewayDataHolder],
})
export class PersonalDataModule {}
