// Stream coverage: which streams would store the subjects a workspace publishes and subscribes to.
export * from './layout';
export * from './lattice';
export * from './coverageIndex';
export * from './check';
export * from './scanSources';
export * from './report';
