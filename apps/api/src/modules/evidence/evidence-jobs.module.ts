import { Module } from '@nestjs/common';
import { TeamScoringModule } from '../team-scores/team-scoring.module';
import { CriteriaCatalogueReader } from './criteria-catalogue';
import { EvidenceRecorder } from './evidence-recorder';
import { RescoreStaleEvidenceJob } from './evidence.jobs';
import { EvidenceRepository } from './evidence.repository';

/** Recording evidence and the expiry job, without the HTTP API (loaded by the worker too). */
@Module({
  imports: [TeamScoringModule],
  providers: [
    EvidenceRepository,
    CriteriaCatalogueReader,
    EvidenceRecorder,
    RescoreStaleEvidenceJob,
  ],
  exports: [EvidenceRepository, CriteriaCatalogueReader, EvidenceRecorder],
})
export class EvidenceJobsModule {}
