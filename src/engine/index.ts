/** The built-in engine's public entry point. */
export { createEngine, Engine, type EngineOptions, type Logger } from './engine';
export * from './api';
