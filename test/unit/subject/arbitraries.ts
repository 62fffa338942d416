// Generators of valid CIM-Start subjects, built from tokens that obey every rule.
import fc from 'fast-check';

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
export const name = fc.array(word, { minLength: 1, maxLength: 3 }).map(ws => ws.join('-'));
export const env = fc.constantFrom('dev', 'staging', 'prod');
export const uuid = fc.uuid().map(u => u.toLowerCase());
const past = fc.constantFrom('created', 'shipped', 'paid', 'registered', 'item-added', 'payment-processed', 'sent');
const imperative = fc.constantFrom('create', 'ship', 'update', 'register', 'add-item', 'cancel');
const sagaEvent = fc.constantFrom('started', 'completed', 'failed', 'payment-processed', 'running');

export const validSubject = fc.oneof(
  fc.tuple(env, name, name, past, uuid).map(([e, d, a, ev, id]) => `${e}.domain.${d}.${a}.${ev}.${id}`),
  fc.tuple(env, name, name, imperative).map(([e, d, a, ac]) => `${e}.command.${d}.${a}.${ac}`),
  fc.tuple(env, name, name).map(([e, v, o]) => `${e}.projection.${v}.${o}`),
  fc.tuple(env, name, sagaEvent).map(([e, p, ev]) => `${e}.saga.${p}.${ev}`),
  fc.tuple(env, name, name, uuid).map(([e, d, a, id]) => `${e}.snapshot.${d}.${a}.${id}`),
);
