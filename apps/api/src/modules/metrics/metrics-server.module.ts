import { Module } from '@nestjs/common';
import { MetricsServer } from './metrics-access';

/** The METRICS_PORT listener, without HTTP controllers: the API and the worker both load it. */
@Module({ providers: [MetricsServer], exports: [MetricsServer] })
export class MetricsServerModule {}
