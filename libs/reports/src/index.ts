export * from './trends';
export * from './report-card';
export { escapeXml, heatmapSvg, trendChartsSvg } from './svg';
export { trendPageHtml } from './html';
export { TREND_CSV_COLUMNS, trendCsvChunks } from './csv';
