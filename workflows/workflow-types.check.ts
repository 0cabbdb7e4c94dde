// Compile-time only (nothing imports it): fails `tsc` when workflow-types.ts drifts from the
// workflows registered in index.ts, by a missing or extra name or a different input.
import type * as registered from './index';
import type { WorkflowInputs } from '../src/contracts/workflow-types';

type Registered = typeof registered;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;

export type EveryRegisteredWorkflowIsNamed = Holds<Same<keyof Registered, keyof WorkflowInputs>>;
export type EachInputIsTheWorkflows = Holds<
  Same<{ [N in keyof Registered]: Parameters<Registered[N]>[0] }, WorkflowInputs>
>;
