// Patterns: NATS matching, the ⊔/⊓/⊑ lattice, and an index of many patterns.
export * from './tokens';
export * from './match';
export * from './lattice';
export * from './captureIndex';
