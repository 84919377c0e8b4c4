import { Module } from '@nestjs/common';
import { CloseOrganizationJob } from './organizations.jobs';
import { OrganizationsRepository } from './organizations.repository';

/** The organizations feature's jobs, without its HTTP controllers (loaded by the worker too). */
@Module({ providers: [OrganizationsRepository, CloseOrganizationJob] })
export class OrganizationsJobsModule {}
