import { Module } from '@nestjs/common';
import { MetricsServer } from './metrics-access';
import { MetricsController } from './metrics.controller';

@Module({ controllers: [MetricsController], providers: [MetricsServer], exports: [MetricsServer] })
export class MetricsModule {}
