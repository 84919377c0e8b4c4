import { Module } from '@nestjs/common';
import {
  MaturityModelCatalogueController,
  MaturityModelsController,
} from './maturity-models.controller';
import { MaturityModelsRepository } from './maturity-models.repository';
import { MaturityModelsService } from './maturity-models.service';

@Module({
  controllers: [MaturityModelCatalogueController, MaturityModelsController],
  providers: [MaturityModelsRepository, MaturityModelsService],
  exports: [MaturityModelsService],
})
export class MaturityModelsModule {}
