import { Module } from '@nestjs/common';
import { RoadmapReconciler } from './roadmap-reconciler';
import { RoadmapsRepository } from './roadmaps.repository';

/**
 * The reconciler alone, with no module imports: assessments (and CI evidence, campaigns) import it
 * to close and reopen roadmap items in their own transactions without importing RoadmapsModule.
 */
@Module({
  providers: [RoadmapsRepository, RoadmapReconciler],
  exports: [RoadmapsRepository, RoadmapReconciler],
})
export class RoadmapReconcilerModule {}
