import { Module } from '@nestjs/common';
import { MaturityModelsRepository } from './maturity-models.repository';
import { MaturityModelsService } from './maturity-models.service';

/** The maturity model use cases without HTTP, for features the worker loads too. */
@Module({
  providers: [MaturityModelsRepository, MaturityModelsService],
  exports: [MaturityModelsService],
})
export class MaturityModelsCoreModule {}
