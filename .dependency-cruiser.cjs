// The layout's dependency rules (see ARCHITECTURE.md), checked by test/architecture.test.ts and by
// `npx depcruise src workflows activities`. The swc parser reads TypeScript here (TypeScript 7 has
// no compiler API for dependency-cruiser); patches/dependency-cruiser+*.patch backports its
// type-only detection from dependency-cruiser 18, which needs a newer Node.

/** The rooms below the API: feature modules, the database, and what they build on. */
const BELOW_THE_API =
  '^(src/(bookings|waitlist|users|venues|broadcasts|notifications|notices|digest|preferences|calendar|webhooks|domain|db|realtime|mail|auth|sso)|activities)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-http-below-the-api',
      comment:
        'Feature modules, the database and activities speak no HTTP: they raise DomainError, and only src/api knows routes and statuses.',
      severity: 'error',
      from: { path: BELOW_THE_API },
      to: { path: '^src/api/' },
    },
    {
      name: 'hono-only-in-the-api',
      comment: "Hono (and its @hono/* helpers) is the API's framework; nothing outside src/api imports it.",
      severity: 'error',
      from: { pathNot: '^src/api/' },
      to: { path: '^node_modules/(hono|@hono/[^/]+|@scalar/hono-api-reference)/' },
    },
    {
      name: 'workflows-import-only-contracts',
      comment:
        'Workflow code runs in the deterministic sandbox: from src/ it imports only the neutral contracts (signals, inputs, state types, pure policies), never a feature module, not even its types.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^src/', pathNot: '^src/contracts/' },
    },
    {
      name: 'workflows-take-only-the-activities-type',
      comment:
        'Workflows name their activities through the type of createActivities (activities/index.ts) and nothing else from activities/.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', pathNot: '^activities/index\\.ts$' },
    },
    {
      name: 'workflows-take-activities-as-a-type',
      comment: 'A value import of activities/ would pull I/O into the sandbox.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'contracts-are-neutral',
      comment: 'src/contracts is what workflows, activities and the feature modules share: it imports none of them.',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { path: '^(src/(?!contracts/)|workflows/|activities/)' },
    },
    {
      name: 'nothing-imports-workflow-code',
      comment:
        "The API, feature modules and activities start and signal workflows through src/contracts; the workflow code is the worker's to bundle.",
      severity: 'error',
      from: { path: '^(src|activities)/' },
      to: { path: '^workflows/' },
    },
    {
      name: 'sending-only-in-the-notices-room',
      comment:
        'Emails are sent (src/mail/smtp-relays), and in-app notifications written (src/notices/inbox), only by the notices room; everything else hands it a notice.',
      severity: 'error',
      from: { pathNot: '^src/notices/' },
      to: { path: '^src/(mail/smtp-relays|notices/inbox|notices/email-delivery)\\.ts$' },
    },
    {
      name: 'tooling-stays-out-of-the-product',
      comment:
        'The embedded stack, the test runner, the harness, tests, bench and drills are tooling: the product never imports them.',
      severity: 'error',
      from: { path: '^(src|workflows|activities)/' },
      to: { path: '^(scripts|test|bench|drill)/' },
    },
    {
      name: 'production-imports-no-devdependency',
      comment:
        "The production image installs package.json's dependencies only (npm ci --omit=dev): the product imports none of the devDependencies, nor a package it does not declare (there only by another's hoisting). A type-only import is erased by the build.",
      severity: 'error',
      from: { path: '^(src|workflows|activities)/' },
      to: { dependencyTypes: ['npm-dev', 'npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'Modules that load each other, directly or through others, are one module split in the wrong place.',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-types',
      comment:
        'A cycle closed only by type imports costs nothing at run time, but still says the seam is in the wrong place.',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
