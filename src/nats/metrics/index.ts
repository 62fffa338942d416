// Live figures from the server, without vscode: one bounded poll per interval, and the system account's reports.
export * from './poller';
export * from './serverReport';
