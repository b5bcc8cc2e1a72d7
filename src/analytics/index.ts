/** Analytics: indicators per service line, heatmaps, SLA and open work per office, alerts, exports. */
export * from './filters';
export * from './statistics';
export * from './tables';
export * from './sources';
export * from './service-indicators';
export * from './training-indicators';
export * from './operational';
export * from './charts';
export * from './export';
export * from './alerts';
export * from './indicator-cache';
export * from './history-feeds';
