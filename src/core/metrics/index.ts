// Live figures: bounded series, rates from counters, lag in time, trends, stalls, limits, CSV.
export * from './series';
export * from './rates';
export * from './lag';
export * from './stall';
export * from './limits';
export * from './eventTypeRates';
export * from './csv';
export * from './history';
export * from './frames';
export * from './serverFrames';
