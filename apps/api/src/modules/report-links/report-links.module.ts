import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { ReportLinksController } from './report-links.controller';
import { ReportLinksRepository } from './report-links.repository';
import { ReportLinksService } from './report-links.service';
import { SharedReportsController } from './shared-reports.controller';

@Module({
  imports: [ReportsModule],
  controllers: [ReportLinksController, SharedReportsController],
  providers: [ReportLinksRepository, ReportLinksService],
  exports: [ReportLinksService],
})
export class ReportLinksModule {}
