export { startDemoInstances, type DemoOptions, type DemoReport } from './demo-instances';
export { demoInstances, type DemoInstance, type DemoStep } from './demo-data';
export {
  deployServiceProcesses,
  modelFiles,
  SERVICE_LINES,
  DEFAULT_PROCESSES_DIR,
} from './deploy-processes';
