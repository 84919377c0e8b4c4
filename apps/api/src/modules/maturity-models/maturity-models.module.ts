import { Module } from '@nestjs/common';
import {
  MaturityModelCatalogueController,
  MaturityModelsController,
} from './maturity-models.controller';
import { MaturityModelsCoreModule } from './maturity-models-core.module';

@Module({
  imports: [MaturityModelsCoreModule],
  controllers: [MaturityModelCatalogueController, MaturityModelsController],
  exports: [MaturityModelsCoreModule],
})
export class MaturityModelsModule {}
