// The algebra description is data: one zod schema is the source of truth for the built-in presets,
// for checked-in `.cim/algebra.json` files and for the JSON schema VS Code shows while editing them.
import { z } from 'zod';

export const TOKEN_RULES = ['environment', 'name', 'uuid', 'enum', 'free'] as const;
export const STYLES = ['past-tense', 'imperative', 'past-tense-or-state'] as const;
export const ENVELOPES = ['domain-event', 'command', 'projection', 'saga', 'snapshot', 'query', 'none'] as const;

const roleName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a role is lowercase letters, digits and _ (e.g. "aggregate")');
const natsToken = z.string().min(1).regex(/^[^\s.*>]+$/, 'a token holds no dot, wildcard or whitespace');

export const TokenSpecSchema = z
  .object({
    role: roleName.describe('What the token means, e.g. "domain", "aggregate", "event", "event_id".'),
    rule: z.enum(TOKEN_RULES).describe(
      'environment: one of the algebra\'s environments; name: the algebra\'s name case; uuid: a UUID; enum: one of `values`; free: any NATS token.',
    ),
    values: z.array(natsToken).min(1).optional().describe('The allowed values of an enum token.'),
    style: z.enum(STYLES).optional().describe('A style rule checked as a warning: past tense for events, imperative for commands.'),
    description: z.string().optional().describe('Shown in hover and completion.'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.rule === 'enum' && !t.values) ctx.addIssue({ code: 'custom', path: ['values'], message: 'an enum token needs "values"' });
  });

export const StreamSpecSchema = z
  .object({
    name: z.string().min(1).describe('Stream name template: {ROLE} is the token upper-cased with - turned into _, e.g. "DOMAIN_{DOMAIN}_EVENTS".'),
    subjects: z.string().min(1).describe('Subject pattern template, e.g. "{env}.domain.{domain}.>".'),
    storage: z.enum(['file', 'memory']).default('file'),
    retention: z.enum(['limits', 'interest', 'workqueue']).default('limits'),
    maxAge: z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30d, 1h, 2m').optional(),
    duplicateWindow: z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 2m').optional(),
    maxMsgs: z.number().int().positive().optional(),
    maxBytes: z.number().int().positive().optional(),
    maxMsgSize: z.number().int().positive().optional(),
    discard: z.enum(['old', 'new']).default('old'),
    allowRollup: z.boolean().default(false),
  })
  .strict();

export const CategorySpecSchema = z
  .object({
    name: natsToken.describe('The category token as it stands in subjects, e.g. "domain".'),
    title: z.string().optional().describe('A human name, e.g. "Domain event".'),
    description: z.string().optional(),
    tokens: z.array(TokenSpecSchema).min(1).describe('The tokens after the category token, in order.'),
    stream: StreamSpecSchema.optional().describe('The stream that stores this category.'),
    envelope: z.enum(ENVELOPES).default('none').describe('Which message envelope a sample payload follows.'),
  })
  .strict();

export const AlgebraSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).describe('The algebra\'s name, shown in hover.'),
    description: z.string().optional(),
    nameCase: z.enum(['kebab', 'snake']).default('kebab').describe('How names are written: kebab (order-summary) or snake (add_node).'),
    environments: z.array(natsToken).default([]).describe('Environment tokens, e.g. ["dev", "staging", "prod"].'),
    productionEnvironments: z.array(natsToken).default([]).describe('Environments whose publishes ask for confirmation.'),
    prefix: z.array(TokenSpecSchema).default([]).describe('Tokens before the category token, e.g. the environment.'),
    categories: z.array(CategorySpecSchema).min(1).describe('The categories, told apart by the token after the prefix.'),
    legacy: z
      .object({ insertCategory: natsToken })
      .strict()
      .optional()
      .describe('An older form without the category token: a subject in it gets a fix that inserts this category.'),
  })
  .strict()
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.categories.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'name'], message: `category "${c.name}" is defined twice` });
      seen.add(c.name);
      const roles = new Set([...a.prefix, ...c.tokens].map(t => t.role));
      if (c.stream) {
        for (const m of `${c.stream.name} ${c.stream.subjects}`.matchAll(/\{([A-Za-z0-9_]+)\}/g)) {
          if (!roles.has(m[1]!.toLowerCase())) {
            ctx.addIssue({ code: 'custom', path: ['categories', i, 'stream'], message: `placeholder {${m[1]}} names no token of category "${c.name}"` });
          }
        }
      }
    });
    const usesEnv = [...a.prefix, ...a.categories.flatMap(c => c.tokens)].some(t => t.rule === 'environment');
    if (usesEnv && a.environments.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['environments'], message: 'a token has rule "environment" but "environments" is empty' });
    }
    if (a.legacy && !seen.has(a.legacy.insertCategory)) {
      ctx.addIssue({ code: 'custom', path: ['legacy', 'insertCategory'], message: `"${a.legacy.insertCategory}" is not a category` });
    }
  });

export type TokenRule = (typeof TOKEN_RULES)[number];
export type Style = (typeof STYLES)[number];
export type EnvelopeKind = (typeof ENVELOPES)[number];
export type TokenSpec = z.output<typeof TokenSpecSchema>;
export type StreamSpec = z.output<typeof StreamSpecSchema>;
export type CategorySpec = z.output<typeof CategorySpecSchema>;
export type Algebra = z.output<typeof AlgebraSchema>;
/** What a file may say: defaults may be left out. */
export type AlgebraInput = z.input<typeof AlgebraSchema>;
