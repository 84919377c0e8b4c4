import { OVERALL, type TeamRef, type TrendReport } from './trends';

export interface TeamChange {
  teamId: string;
  name: string;
  /** Overall score change over the window. */
  delta: number;
  /** Overall score at the end of the window. */
  score: number;
}

export interface HeatmapRow {
  teamId: string;
  name: string;
  /** Level per dimension at the end of the window (null: never assessed), in `dimensions` order. */
  levels: (number | null)[];
}

export interface LevelDistribution {
  dimension: string;
  /** Number of teams at level 0, 1, 2, 3 at the end of the window. */
  counts: [number, number, number, number];
  /** Teams without a value. */
  unassessed: number;
}

export interface ReportCard {
  from: string;
  to: string;
  dimensions: string[];
  mostImproved: TeamChange[];
  mostRegressed: TeamChange[];
  heatmap: HeatmapRow[];
  distribution: LevelDistribution[];
}

/**
 * The report card of a window, from a trend report over it (one bucket is enough): the teams whose
 * overall score rose most (positive deltas, largest first) and fell most (negative, most negative
 * first), `limit` each; the team x dimension heatmap of levels at the end; and how many teams sit
 * at each level of each dimension then. Ties break by team name, then id.
 */
export function buildReportCard(report: TrendReport, limit = 5): ReportCard {
  const dimensions = report.series.filter((key) => key !== OVERALL);
  const last = report.buckets.length - 1;
  const seriesOf = (team: TeamRef, key: string) =>
    report.teamSeries.find((series) => series.teamId === team.id && series.series === key);
  const changes: TeamChange[] = report.teams.flatMap((team) => {
    const overall = seriesOf(team, OVERALL);
    const score = overall?.values[last];
    if (!overall || overall.delta === null || score === null || score === undefined) return [];
    return [{ teamId: team.id, name: team.name, delta: overall.delta, score }];
  });
  const byName = (a: TeamChange, b: TeamChange) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.teamId < b.teamId ? -1 : 1;
  const heatmap = report.teams.map((team) => ({
    teamId: team.id,
    name: team.name,
    levels: dimensions.map((key) => seriesOf(team, key)?.levels[last] ?? null),
  }));
  return {
    from: report.from,
    to: report.to,
    dimensions,
    mostImproved: changes
      .filter((change) => change.delta > 0)
      .sort((a, b) => b.delta - a.delta || byName(a, b))
      .slice(0, limit),
    mostRegressed: changes
      .filter((change) => change.delta < 0)
      .sort((a, b) => a.delta - b.delta || byName(a, b))
      .slice(0, limit),
    heatmap,
    distribution: dimensions.map((dimension, index) => {
      const counts: [number, number, number, number] = [0, 0, 0, 0];
      let unassessed = 0;
      for (const row of heatmap) {
        const level = row.levels[index];
        if (level === null) unassessed += 1;
        else counts[Math.max(0, Math.min(3, level))] += 1;
      }
      return { dimension, counts, unassessed };
    }),
  };
}
