/** The engine's history read model: collections written by the history exporter, and queries. */
export * from './history-collections';
export * from './history-queries';
