import { scaleBand, scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';
import type { ReportCard } from './report-card';
import { OVERALL, type TrendReport } from './trends';

/**
 * SVG charts written as text, with d3-scale for the scales and ticks and d3-shape for the line
 * paths (both CommonJS-loadable and small; vega/vega-lite would build the same chart from a spec
 * but load as ESM only, ~25 MB and ~150 ms a chart: see the README's "Trend reports").
 */

const WIDTH = 800;
const CHART_HEIGHT = 300;
const MARGIN = { top: 36, right: 24, bottom: 34, left: 44 };
const LEGEND_ROW = 18;
const LEGEND_COLUMNS = 4;
const LEGEND_MAX = 16;
const FONT = 'font-family="system-ui, sans-serif"';
/** d3-scale-chromatic's schemeTableau10, copied: ten distinguishable colours, no extra package. */
const PALETTE = [
  '#4e79a7',
  '#f28e2c',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc949',
  '#af7aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ab',
];
/** Heatmap colours for levels 0..3 (light to dark) and for "not assessed". */
const LEVEL_COLOURS = ['#fde0c5', '#facba6', '#f59e72', '#d8563e'];
const NO_LEVEL = '#eeeeee';

/** Text and attribute values: the five XML special characters, and no control characters. */
export function escapeXml(text: string): string {
  return (
    text
      // XML 1.0 forbids these characters even escaped; team names could carry them.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const fixed = (value: number) => Math.round(value * 10) / 10;

export interface ChartLine {
  label: string;
  values: (number | null)[];
  dashed?: boolean;
}

/** One line chart as an SVG group of WIDTH x its height (see chartHeight), its top at `top`. */
function lineChartGroup(
  title: string,
  x: Date[],
  lines: ChartLine[],
  top: number,
): { svg: string; height: number } {
  const legendRows = Math.ceil(Math.min(lines.length, LEGEND_MAX + 1) / LEGEND_COLUMNS);
  const plotBottom = CHART_HEIGHT - MARGIN.bottom;
  const height = CHART_HEIGHT + legendRows * LEGEND_ROW + 8;
  const xScale = scaleUtc()
    .domain(x.length > 1 ? [x[0], x[x.length - 1]] : [new Date(0), x[0] ?? new Date(1)])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const yScale = scaleLinear().domain([0, 3]).range([plotBottom, MARGIN.top]);
  const path = line<number | null>()
    .defined((value) => value !== null)
    .x((_value, index) => fixed(xScale(x[index])))
    .y((value) => fixed(yScale(value ?? 0)));
  const parts: string[] = [`<g transform="translate(0,${top})" class="chart">`];
  parts.push(
    `<text x="${MARGIN.left}" y="20" ${FONT} font-size="15" font-weight="600">${escapeXml(title)}</text>`,
  );
  for (const tick of [0, 0.5, 1, 1.5, 2, 2.5, 3]) {
    const y = fixed(yScale(tick));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end" ${FONT} font-size="11">${tick}</text>`,
    );
  }
  const format = xScale.tickFormat(6);
  for (const tick of xScale.ticks(6)) {
    const xPos = fixed(xScale(tick));
    parts.push(
      `<line x1="${xPos}" x2="${xPos}" y1="${plotBottom}" y2="${plotBottom + 4}" stroke="#555"/>`,
      `<text x="${xPos}" y="${plotBottom + 16}" text-anchor="middle" ${FONT} font-size="11">${escapeXml(format(tick))}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${plotBottom}" y2="${plotBottom}" stroke="#555"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${plotBottom}" stroke="#555"/>`,
    `<text transform="translate(12,${fixed((MARGIN.top + plotBottom) / 2)}) rotate(-90)" text-anchor="middle" ${FONT} font-size="11">level</text>`,
  );
  lines.forEach((series, index) => {
    const d = path(series.values);
    if (!d) return;
    const colour = series.dashed ? '#222' : PALETTE[index % PALETTE.length];
    parts.push(
      `<path class="series" d="${d}" fill="none" stroke="${colour}" stroke-width="2" stroke-linecap="round"${
        series.dashed ? ' stroke-dasharray="6 4"' : ''
      }><title>${escapeXml(series.label)}</title></path>`,
    );
  });
  const shown = lines.slice(0, LEGEND_MAX);
  shown.forEach((series, index) => {
    const column = index % LEGEND_COLUMNS;
    const row = Math.floor(index / LEGEND_COLUMNS);
    const lx = MARGIN.left + column * ((WIDTH - MARGIN.left) / LEGEND_COLUMNS);
    const ly = CHART_HEIGHT + row * LEGEND_ROW;
    const colour = series.dashed ? '#222' : PALETTE[index % PALETTE.length];
    parts.push(
      `<line x1="${fixed(lx)}" x2="${fixed(lx + 16)}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"${
        series.dashed ? ' stroke-dasharray="4 3"' : ''
      }/>`,
      `<text x="${fixed(lx + 22)}" y="${ly + 4}" ${FONT} font-size="11">${escapeXml(truncate(series.label, 28))}</text>`,
    );
  });
  if (lines.length > LEGEND_MAX) {
    const row = Math.floor(LEGEND_MAX / LEGEND_COLUMNS);
    parts.push(
      `<text x="${MARGIN.left}" y="${CHART_HEIGHT + row * LEGEND_ROW + 4}" ${FONT} font-size="11">and ${lines.length - LEGEND_MAX} more</text>`,
    );
  }
  parts.push('</g>');
  return { svg: parts.join(''), height };
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}\u2026` : text;
}

function document(title: string, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`
  );
}

/**
 * The trend report as line charts in one SVG, 800 px wide: with one team, one chart whose lines
 * are its series (dimensions and overall); with several, one chart per series whose lines are the
 * teams, plus the organization mean (dashed).
 */
export function trendChartsSvg(report: TrendReport, title: string): string {
  const x = report.buckets.map((bucket) => new Date(bucket.end));
  const nameOf = new Map(report.teams.map((team) => [team.id, team.name]));
  const charts: { title: string; lines: ChartLine[] }[] =
    report.teams.length === 1
      ? [
          {
            title: report.teams[0].name,
            lines: report.teamSeries.map((series) => ({
              label: series.series,
              values: series.values,
              dashed: series.series === OVERALL,
            })),
          },
        ]
      : report.series.map((key) => ({
          title: key === OVERALL ? 'Overall' : key,
          // The mean first, so the legend always names it however many teams there are.
          lines: [
            {
              label: 'organization mean',
              values: report.organization.find((r) => r.series === key)!.values.map((v) => v.mean),
              dashed: true,
            },
            ...report.teamSeries
              .filter((series) => series.series === key)
              .map((series) => ({
                label: nameOf.get(series.teamId) ?? series.teamId,
                values: series.values,
              })),
          ],
        }));
  const header = 34;
  let top = header;
  const groups = charts.map((chart) => {
    const group = lineChartGroup(chart.title, x, chart.lines, top);
    top += group.height;
    return group.svg;
  });
  const heading =
    `<text x="${MARGIN.left}" y="24" ${FONT} font-size="18" font-weight="700">${escapeXml(title)}</text>` +
    `<text x="${WIDTH - MARGIN.right}" y="24" text-anchor="end" ${FONT} font-size="11">` +
    `${escapeXml(`${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}, by ${report.interval}`)}</text>`;
  return document(title, top, heading + groups.join(''));
}

/** The report card's heatmap: teams (rows) x dimensions (columns), cells coloured by level. */
export function heatmapSvg(card: ReportCard, title: string): string {
  const labelWidth = 180;
  const top = 110;
  const rowHeight = 22;
  const height = top + card.heatmap.length * rowHeight + 40;
  const columns = scaleBand<string>()
    .domain(card.dimensions)
    .range([labelWidth, WIDTH - 10])
    .padding(0.06);
  const parts: string[] = [
    `<text x="10" y="24" ${FONT} font-size="18" font-weight="700">${escapeXml(title)}</text>`,
  ];
  for (const dimension of card.dimensions) {
    const cx = fixed((columns(dimension) ?? 0) + columns.bandwidth() / 2);
    parts.push(
      `<text transform="translate(${cx},${top - 8}) rotate(-35)" ${FONT} font-size="11">${escapeXml(dimension)}</text>`,
    );
  }
  card.heatmap.forEach((row, rowIndex) => {
    const y = top + rowIndex * rowHeight;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" ${FONT} font-size="11">${escapeXml(truncate(row.name, 26))}</text>`,
    );
    row.levels.forEach((level, index) => {
      const x = fixed(columns(card.dimensions[index]) ?? 0);
      const fill = level === null ? NO_LEVEL : LEVEL_COLOURS[Math.max(0, Math.min(3, level))];
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${fixed(columns.bandwidth())}" height="${rowHeight - 3}" fill="${fill}">` +
          `<title>${escapeXml(`${row.name} / ${card.dimensions[index]}: ${level ?? 'not assessed'}`)}</title></rect>`,
        `<text x="${fixed(x + columns.bandwidth() / 2)}" y="${y + 14}" text-anchor="middle" ${FONT} font-size="11">${level ?? '-'}</text>`,
      );
    });
  });
  const legendY = top + card.heatmap.length * rowHeight + 16;
  [0, 1, 2, 3].forEach((level) => {
    const x = labelWidth + level * 90;
    parts.push(
      `<rect x="${x}" y="${legendY}" width="14" height="14" fill="${LEVEL_COLOURS[level]}"/>`,
      `<text x="${x + 20}" y="${legendY + 11}" ${FONT} font-size="11">level ${level}</text>`,
    );
  });
  return document(title, height, parts.join(''));
}
