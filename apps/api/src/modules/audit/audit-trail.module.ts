import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditTrail } from './audit-trail';

/**
 * Global and without HTTP: every use case that writes tenant data records it through AuditTrail,
 * in the API and in the worker alike.
 */
@Global()
@Module({ providers: [AuditRepository, AuditTrail], exports: [AuditTrail, AuditRepository] })
export class AuditTrailModule {}
