// The built-in algebras. CIM-Start's is the default; cim-subject's proves the description is data.
import type { AlgebraInput } from './schema';

const MB = 1024 * 1024;
const GB = 1024 * MB;

export const CIM_START: AlgebraInput = {
  name: 'CIM-Start',
  description: 'Cowboy AI CIM-Start: {env}.{category}.{domain}.{aggregate}.{event}.{id}',
  nameCase: 'kebab',
  environments: ['dev', 'staging', 'prod'],
  productionEnvironments: ['prod'],
  prefix: [{ role: 'env', rule: 'environment', description: 'The environment the message belongs to.' }],
  categories: [
    {
      name: 'domain',
      title: 'Domain event',
      description: 'A fact that happened to an aggregate; stored for event sourcing.',
      tokens: [
        { role: 'domain', rule: 'name', description: 'The bounded context, e.g. sales.' },
        { role: 'aggregate', rule: 'name', description: 'The aggregate type, e.g. order.' },
        { role: 'event', rule: 'name', style: 'past-tense', description: 'What happened, in the past tense, e.g. created.' },
        { role: 'event_id', rule: 'uuid', description: 'The event id, a UUID; equal to the payload\'s event_id and the Nats-Msg-Id header.' },
      ],
      stream: {
        name: 'DOMAIN_{DOMAIN}_EVENTS', subjects: '{env}.domain.{domain}.>', storage: 'file', retention: 'limits',
        maxAge: '30d', duplicateWindow: '2m', maxMsgSize: 8 * MB, discard: 'old', allowRollup: false,
      },
      envelope: 'domain-event',
    },
    {
      name: 'command',
      title: 'Command',
      description: 'A request to change an aggregate; short-lived.',
      tokens: [
        { role: 'domain', rule: 'name', description: 'The bounded context, e.g. inventory.' },
        { role: 'aggregate', rule: 'name', description: 'The aggregate type, e.g. product.' },
        { role: 'action', rule: 'name', style: 'imperative', description: 'What to do, in the imperative, e.g. update.' },
      ],
      stream: {
        name: 'DOMAIN_{DOMAIN}_COMMANDS', subjects: '{env}.command.{domain}.>', storage: 'memory', retention: 'interest',
        maxAge: '1h', duplicateWindow: '30s', maxMsgs: 10_000, maxBytes: 100 * MB, maxMsgSize: 1 * MB,
      },
      envelope: 'command',
    },
    {
      name: 'projection',
      title: 'Projection',
      description: 'A read-model update.',
      tokens: [
        { role: 'view', rule: 'name', description: 'The read model, e.g. order-summary.' },
        { role: 'operation', rule: 'name', description: 'The operation, e.g. update, refresh, sync.' },
      ],
      stream: {
        name: 'PROJECTIONS', subjects: '{env}.projection.>', storage: 'file', retention: 'limits',
        maxAge: '7d', duplicateWindow: '1m', maxBytes: 5 * GB, maxMsgSize: 4 * MB, allowRollup: true,
      },
      envelope: 'projection',
    },
    {
      name: 'saga',
      title: 'Saga',
      description: 'A process manager\'s step.',
      tokens: [
        { role: 'process', rule: 'name', description: 'The process, e.g. order-fulfillment.' },
        { role: 'event', rule: 'name', style: 'past-tense-or-state', description: 'A past-tense event or a state, e.g. payment-processed, started, failed.' },
      ],
      stream: {
        name: 'SAGAS', subjects: '{env}.saga.>', storage: 'file', retention: 'limits',
        maxAge: '7d', duplicateWindow: '1m', maxMsgs: 1_000_000, maxBytes: 2 * GB, maxMsgSize: 2 * MB,
      },
      envelope: 'saga',
    },
    {
      name: 'snapshot',
      title: 'Snapshot',
      description: 'An aggregate\'s state at a version, so replay can start late.',
      tokens: [
        { role: 'domain', rule: 'name', description: 'The bounded context, e.g. sales.' },
        { role: 'aggregate', rule: 'name', description: 'The aggregate type, e.g. order.' },
        { role: 'aggregate_id', rule: 'uuid', description: 'The aggregate instance, a UUID.' },
      ],
      stream: {
        name: 'DOMAIN_{DOMAIN}_SNAPSHOTS', subjects: '{env}.snapshot.{domain}.>', storage: 'file', retention: 'limits',
        maxAge: '90d', duplicateWindow: '5m', maxMsgSize: 8 * MB, allowRollup: true,
      },
      envelope: 'snapshot',
    },
  ],
  legacy: { insertCategory: 'domain' },
};

export const CIM_SUBJECT: AlgebraInput = {
  name: 'cim-subject',
  description: 'CIM\'s Rust cim-subject module: {domain}.{message_type}.{aggregate}.{action}',
  nameCase: 'snake',
  prefix: [{ role: 'domain', rule: 'name', description: 'The domain, e.g. graph.' }],
  categories: [
    {
      name: 'events',
      title: 'Event',
      tokens: [
        { role: 'aggregate', rule: 'name', description: 'The aggregate, e.g. location.' },
        { role: 'event', rule: 'name', style: 'past-tense', description: 'What happened, e.g. defined.' },
      ],
      stream: { name: '{DOMAIN}_EVENTS', subjects: '{domain}.events.>', storage: 'file', retention: 'limits', duplicateWindow: '2m' },
      envelope: 'domain-event',
    },
    {
      name: 'commands',
      title: 'Command',
      tokens: [
        { role: 'aggregate', rule: 'name', description: 'The aggregate, e.g. structure.' },
        { role: 'action', rule: 'name', style: 'imperative', description: 'What to do, e.g. add_node.' },
      ],
      stream: { name: '{DOMAIN}_COMMANDS', subjects: '{domain}.commands.>', storage: 'file', retention: 'workqueue', duplicateWindow: '30s' },
      envelope: 'command',
    },
    {
      name: 'queries',
      title: 'Query',
      tokens: [
        { role: 'aggregate', rule: 'name', description: 'The aggregate, e.g. location.' },
        { role: 'query', rule: 'name', description: 'What to ask, e.g. find_by_id.' },
      ],
      envelope: 'query',
    },
  ],
};

export const PRESETS = { 'cim-start': CIM_START, 'cim-subject': CIM_SUBJECT } as const;
export type PresetId = keyof typeof PRESETS;
export const DEFAULT_PRESET: PresetId = 'cim-start';
