import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Page } from './page';

@ObjectType()
export class TrendBucket {
  @Field() start!: string;
  @Field({ description: 'Exclusive.' }) end!: string;
}

@ObjectType()
export class TeamRef {
  @Field(() => ID) id!: string;
  @Field() name!: string;
}

@ObjectType()
export class TrendSeries {
  @Field(() => ID) teamId!: string;
  @Field({ description: 'A dimension key, or `overall`.' }) series!: string;
  @Field(() => [Float], {
    nullable: 'items',
    description: 'Score at the end of each bucket; null before any snapshot.',
  })
  values!: (number | null)[];
  @Field(() => [Int], { nullable: 'items' }) levels!: (number | null)[];
  @Field(() => Float, { nullable: true }) delta!: number | null;
  @Field(() => Float, { nullable: true, description: 'delta per quarter.' })
  velocity!: number | null;
}

@ObjectType()
export class RollupPoint {
  @Field(() => Float, { nullable: true }) mean!: number | null;
  @Field(() => Int, { description: 'Teams with a value at the end of the bucket.' })
  count!: number;
}

@ObjectType()
export class TrendRollup {
  @Field() series!: string;
  @Field(() => [RollupPoint]) values!: RollupPoint[];
}

@ObjectType({ description: 'Trends per team and series over time buckets (REST: .../trends).' })
export class TrendReport {
  @Field() interval!: string;
  @Field() from!: string;
  @Field() to!: string;
  @Field(() => [TrendBucket]) buckets!: TrendBucket[];
  @Field(() => [TeamRef]) teams!: TeamRef[];
  @Field(() => [String], { description: 'Dimensions, then `overall`.' }) series!: string[];
  @Field(() => [TrendSeries]) teamSeries!: TrendSeries[];
  @Field(() => [TrendRollup], { description: 'Organization mean per series and bucket.' })
  organization!: TrendRollup[];
}

@ObjectType()
export class TeamChange {
  @Field(() => ID) teamId!: string;
  @Field() name!: string;
  @Field(() => Float) delta!: number;
  @Field(() => Float) score!: number;
}

@ObjectType()
export class HeatmapRow {
  @Field(() => ID) teamId!: string;
  @Field() name!: string;
  @Field(() => [Int], { nullable: 'items' }) levels!: (number | null)[];
}

@ObjectType()
export class LevelDistribution {
  @Field() dimension!: string;
  @Field(() => [Int], { description: 'Teams at level 0, 1, 2, 3.' }) counts!: number[];
  @Field(() => Int) unassessed!: number;
}

@ObjectType()
export class ReportCard {
  @Field() from!: string;
  @Field() to!: string;
  @Field(() => [String]) dimensions!: string[];
  @Field(() => [TeamChange]) mostImproved!: TeamChange[];
  @Field(() => [TeamChange]) mostRegressed!: TeamChange[];
  @Field(() => [HeatmapRow], { description: 'Levels at the end of the window.' })
  heatmap!: HeatmapRow[];
  @Field(() => [LevelDistribution]) distribution!: LevelDistribution[];
}

@ObjectType({ description: 'What a share link shows: the trends selection fixed at creation.' })
export class TrendLinkParameters {
  @Field(() => [ID], { nullable: true }) teamIds?: string[];
  @Field(() => [String], { nullable: true }) dimensions?: string[];
  @Field(() => String, { nullable: true }) from?: string;
  @Field(() => String, { nullable: true }) to?: string;
  @Field(() => String, { nullable: true }) interval?: string;
}

@ObjectType({ description: 'A share link of a report (never its token).' })
export class ReportLink {
  @Field(() => ID) id!: string;
  @Field() report!: string;
  @Field(() => TrendLinkParameters) parameters!: TrendLinkParameters;
  @Field() expiresAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => ID, { nullable: true }) createdById!: string | null;
  @Field() createdAt!: Date;
}

@ObjectType()
export class ReportLinkPage extends Page(ReportLink, 'ReportLinkPage') {}
