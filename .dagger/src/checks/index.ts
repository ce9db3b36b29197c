import type { CheckPlan } from "../plan/task.ts";
import { planBirmel } from "./birmel.ts";
import { planCompliance } from "./compliance.ts";
import type { CheckContext } from "./context.ts";
import { planMobile } from "./mobile.ts";
import { planPackages } from "./packages.ts";
import { planQuality } from "./quality/index.ts";

export type Planner = (ctx: CheckContext) => Promise<CheckPlan>;

/** Planners by catalog key; a test asserts these keys are exactly the catalog's checks. */
export const planners: Record<string, Planner> = {
  compliance: planCompliance,
  quality: planQuality,
  mobile: planMobile,
  birmel: planBirmel,
  packages: planPackages,
};
