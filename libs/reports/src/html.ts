import type { ReportCard } from './report-card';
import { escapeXml } from './svg';
import { OVERALL, type TrendReport } from './trends';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;color:#222;margin:24px auto;max-width:840px;padding:0 12px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}
.meta{color:#666;margin:0 0 16px}table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left}td.n{text-align:right}
figure{margin:12px 0}svg{max-width:100%;height:auto}
.cols{display:flex;gap:16px}.cols>div{flex:1}
@media print{body{margin:0;max-width:none}section,figure,table{break-inside:avoid}a{color:inherit}}
`;

const number = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '–' : value.toFixed(digits);

/**
 * The trend report as one self-contained HTML page for people: no script, no external resource
 * (charts inline as SVG, styles inline), printable. Every text from data is escaped.
 */
export function trendPageHtml(input: {
  title: string;
  report: TrendReport;
  card: ReportCard;
  chartsSvg: string;
  heatmapSvg: string;
}): string {
  const { report, card } = input;
  const nameOf = new Map(report.teams.map((team) => [team.id, team.name]));
  const last = report.buckets.length - 1;
  const changes = (rows: ReportCard['mostImproved'], empty: string) =>
    rows.length === 0
      ? `<p>${empty}</p>`
      : `<table><tr><th>Team</th><th>Change</th><th>Overall now</th></tr>${rows
          .map(
            (row) =>
              `<tr><td>${escapeXml(row.name)}</td><td class="n">${row.delta > 0 ? '+' : ''}${number(row.delta)}</td><td class="n">${number(row.score)}</td></tr>`,
          )
          .join('')}</table>`;
  const distribution = `<table><tr><th>Dimension</th><th>Level 0</th><th>Level 1</th><th>Level 2</th><th>Level 3</th><th>Not assessed</th></tr>${card.distribution
    .map(
      (row) =>
        `<tr><td>${escapeXml(row.dimension)}</td>${row.counts
          .map((count) => `<td class="n">${count}</td>`)
          .join('')}<td class="n">${row.unassessed}</td></tr>`,
    )
    .join('')}</table>`;
  const data = `<table><tr><th>Team</th><th>Series</th><th>Now</th><th>Change</th><th>Per quarter</th></tr>${report.teamSeries
    .map(
      (series) =>
        `<tr><td>${escapeXml(nameOf.get(series.teamId) ?? series.teamId)}</td><td>${escapeXml(
          series.series === OVERALL ? 'overall' : series.series,
        )}</td><td class="n">${number(series.values[last])}</td><td class="n">${number(series.delta)}</td><td class="n">${number(series.velocity)}</td></tr>`,
    )
    .join('')}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${escapeXml(input.title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeXml(input.title)}</h1>
<p class="meta">${escapeXml(report.from.slice(0, 10))} to ${escapeXml(report.to.slice(0, 10))}, by ${escapeXml(report.interval)}; ${report.teams.length} team(s); scores are levels 0 to 3.</p></header>
<section><h2>Report card</h2><div class="cols"><div><h3>Most improved</h3>${changes(card.mostImproved, 'No team improved in this window.')}</div>
<div><h3>Most regressed</h3>${changes(card.mostRegressed, 'No team regressed in this window.')}</div></div>
<h3>Teams per level</h3>${distribution}</section>
<section><h2>Trends</h2><figure>${input.chartsSvg}</figure></section>
<section><h2>Current levels</h2><figure>${input.heatmapSvg}</figure></section>
<section><h2>Data</h2>${data}</section>
</body></html>
`;
}
