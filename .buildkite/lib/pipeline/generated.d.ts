// The standalone validator that .buildkite/build.ts writes at install time.
declare module "*/pipeline-validate.mjs" {
  import type { ErrorObject } from "ajv";
  const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
  export default validate;
}
