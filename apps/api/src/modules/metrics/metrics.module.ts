import { Module } from '@nestjs/common';
import { MetricsServerModule } from './metrics-server.module';
import { MetricsController } from './metrics.controller';

@Module({
  imports: [MetricsServerModule],
  controllers: [MetricsController],
  exports: [MetricsServerModule],
})
export class MetricsModule {}
