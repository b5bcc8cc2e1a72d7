export * from './syllabus';
export * from './settings';
export * from './staff';
export * from './needs-analysis';
export * from './plan-proposal';
export * from './certification';
export * from './hours-report';
export * from './training-store';
