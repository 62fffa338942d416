// Settings through the one configuration object (platform/configuration.ts).
export { settingsFor } from './platform/configuration';
