import { existsSync } from 'node:fs';
import path from 'node:path';

/** The workflow code as written: a worker run from source (tsx) bundles it when it starts. */
export const WORKFLOWS_PATH = path.resolve(import.meta.dirname, '../../workflows/index.ts');

/**
 * Where `npm run build` writes the workflows, bundled once, beside the compiled server: from
 * `dist/src/worker/` this is `dist/workflow-bundle.js`.
 */
export const PREBUILT_WORKFLOW_BUNDLE = path.resolve(import.meta.dirname, '../../workflow-bundle.js');

/** This file ends in .js only in the production build (`node dist/src/main/worker.js`); under tsx it is .ts. */
const RUNS_COMPILED = import.meta.filename.endsWith('.js');

export type WorkflowSource = { workflowBundle: { codePath: string } } | { workflowsPath: string };

/**
 * The worker's workflow code. A bundle named by TEMPORAL_WORKFLOW_BUNDLE wins (the test runner builds
 * one per run). The compiled server uses the bundle the build wrote, as Temporal recommends for
 * production: the code that runs is the code that was built (and could be replayed in CI), and a
 * worker starts without webpack compiling every workflow and their imports again. From source, the
 * worker bundles `workflows/` itself.
 */
export function workflowSource(configuredBundle: string | undefined): WorkflowSource {
  if (configuredBundle) return { workflowBundle: { codePath: configuredBundle } };
  if (!RUNS_COMPILED) return { workflowsPath: WORKFLOWS_PATH };
  if (!existsSync(PREBUILT_WORKFLOW_BUNDLE))
    throw new Error(
      `${PREBUILT_WORKFLOW_BUNDLE} is missing: \`npm run build\` writes it beside the compiled server (or set TEMPORAL_WORKFLOW_BUNDLE)`,
    );
  return { workflowBundle: { codePath: PREBUILT_WORKFLOW_BUNDLE } };
}
