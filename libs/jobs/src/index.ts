export * from './job-handler';
export * from './job-payload';
export * from './job-queue';
export * from './jobs.module';
