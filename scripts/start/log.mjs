// Progress lines with the seconds since `npm start` began, so the slow step is plain to see.
const t0 = performance.now();

export function seconds() {
  return ((performance.now() - t0) / 1000).toFixed(1);
}

export function step(message) {
  console.log(`[start ${seconds().padStart(5)}s] ${message}`);
}

export function fail(message) {
  console.error(`[start ${seconds().padStart(5)}s] ${message}`);
}
