/** The built-in engine's public entry point. */
export { createEngine, Engine, type EngineOptions } from './engine';
export { ManualClock, type EngineClock } from './scheduler/clock';
export type { Logger } from '../logging';
export * from './api';
