export * from './trends';
export * from './report-card';
export { escapeXml, heatmapSvg, trendChartsSvg } from './svg';
export { trendPageHtml } from './html';
