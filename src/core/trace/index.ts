// Trace and aggregate history, the pure half: identity rules, causation trees, version checks. No NATS client.
export * from './identity';
export * from './causationTree';
export * from './aggregateHistory';
export * from './traceText';
export * from './timelineModel';
