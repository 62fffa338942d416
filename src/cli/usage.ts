// Usage errors exit 2 with one line; the help text lists every command.
export class UsageError extends Error {}

export const HELP = `cim-nats — check NATS subjects against the CIM subject algebra

Usage:
  cim-nats check [--pattern] [--json] [--no-style] [--algebra FILE | --preset ID] SUBJECT...
  cim-nats lint  [--json] [--no-style] [--algebra FILE | --preset ID] PATH...
  cim-nats join    P Q      the most specific pattern matching both (⊔)
  cim-nats meet    P Q      the intersection of two patterns, or "none" (⊓)
  cim-nats subset  P Q      "true" when every subject P matches, Q matches too (⊑), else "false"
  cim-nats schema           print the JSON schema of algebra files

Options:
  --pattern       check subjects as subscription / stream-filter patterns (wildcards allowed)
  --json          print a JSON array, one entry per subject
  --no-style      leave out style warnings (past tense, imperative, * environment)
  --algebra FILE  an algebra description (default: .cim/algebra.json when it exists)
  --preset ID     a built-in algebra: cim-start (default) or cim-subject
  --              ends the options

Exit status: 0 no error, 1 an error was found, 2 usage error.`;
